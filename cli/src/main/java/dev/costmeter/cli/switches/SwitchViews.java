package dev.costmeter.cli.switches;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.render.Table;
import dev.costmeter.cli.render.Table.Align;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.schemas.control.CommandSigner;
import dev.costmeter.schemas.control.KeyRing;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;

/** Kill-switch commands as a table or JSON, with whether each signature verifies. */
final class SwitchViews {

    private SwitchViews() {
    }

    /** {@code valid}, {@code FORGED}, {@code unknown key <id>}, or {@code unchecked} without a ring. */
    static String signature(ControlCommand command, KeyRing ring) {
        if (ring == null) {
            return "unchecked";
        }
        return switch (CommandSigner.verify(command, ring)) {
            case VALID -> "valid";
            case UNKNOWN_KEY -> "unknown key " + command.getKeyId();
            case BAD_SIGNATURE -> "FORGED";
        };
    }

    static String table(Collection<ControlCommand> commands, KeyRing ring, Instant now) {
        Table table = new Table()
                .column("SCOPE", Align.LEFT)
                .column("ACTION", Align.LEFT)
                .column("FALLBACK", Align.LEFT)
                .column("STATE", Align.LEFT)
                .column("REASON", Align.LEFT)
                .column("ISSUER", Align.LEFT)
                .column("ISSUED_AT", Align.LEFT)
                .column("EXPIRES_AT", Align.LEFT)
                .column("SEQUENCE", Align.RIGHT)
                .column("SIGNATURE", Align.LEFT);
        for (ControlCommand c : commands) {
            table.row(c.getScope(), c.getAction(), c.getFallbackModel(), state(c, now), c.getReason(), c.getIssuer(),
                    c.getIssuedAt(), c.getExpiresAt(), c.getSequence(), signature(c, ring));
        }
        return table.render();
    }

    static ObjectNode json(ControlCommand c, KeyRing ring, Instant now) {
        return Json.object()
                .put("scope", c.getScope())
                .put("action", c.getAction().name())
                .put("fallback_model", c.getFallbackModel())
                .put("state", state(c, now))
                .put("reason", c.getReason())
                .put("issuer", c.getIssuer())
                .put("issued_at", c.getIssuedAt().toString())
                .put("expires_at", c.getExpiresAt() == null ? null : c.getExpiresAt().toString())
                .put("sequence", c.getSequence())
                .put("key_id", c.getKeyId())
                .put("signature", signature(c, ring));
    }

    static ObjectNode json(String topic, Collection<ControlCommand> commands, KeyRing ring, Instant now) {
        ObjectNode json = Json.object().put("topic", topic).put("at", now.toString());
        ArrayNode list = json.putArray("switches");
        commands.forEach(c -> list.add(json(c, ring, now)));
        return json;
    }

    private static String state(ControlCommand c, Instant now) {
        return SwitchBoard.state(c, now).name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
