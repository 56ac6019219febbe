package dev.costmeter.cli.switches;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.render.Table;
import dev.costmeter.cli.render.Table.Align;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.schemas.control.Judgement;
import dev.costmeter.schemas.control.Refusal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Kill switches as a table or JSON: what services enforce per scope, and what became of each
 * record. Text that anyone able to write the topic controls (keys, key ids, undecodable details) is
 * shown with control characters replaced, so a record cannot rewrite the operator's terminal.
 */
final class SwitchViews {

    private SwitchViews() {
    }

    /** The scopes, with the verified command each enforces and what the scope's latest record is. */
    static String table(Collection<VerifiedSwitches.Scope> scopes) {
        Table table = new Table()
                .column("SCOPE", Align.LEFT)
                .column("STATE", Align.LEFT)
                .column("ACTION", Align.LEFT)
                .column("FALLBACK", Align.LEFT)
                .column("REASON", Align.LEFT)
                .column("ISSUER", Align.LEFT)
                .column("KEY", Align.LEFT)
                .column("ISSUED_AT", Align.LEFT)
                .column("EXPIRES_AT", Align.LEFT)
                .column("SEQUENCE", Align.RIGHT)
                .column("LATEST_RECORD", Align.LEFT);
        for (VerifiedSwitches.Scope s : scopes) {
            ControlCommand c = s.command();
            table.row(printable(s.scope()), state(s.state()), c == null ? null : c.getAction(), c == null ? null : printable(c.getFallbackModel()),
                    c == null ? null : printable(c.getReason()), c == null ? null : printable(c.getIssuer()),
                    c == null ? null : printable(c.getKeyId()), c == null ? null : c.getIssuedAt(),
                    c == null ? null : c.getExpiresAt(), s.water() == null ? null : s.water().sequence(), latest(s));
        }
        return table.render();
    }

    /** Every record in the order read, with what services made of it. */
    static String records(List<VerifiedSwitches.Verdict> verdicts) {
        Table table = new Table()
                .column("PARTITION", Align.RIGHT)
                .column("OFFSET", Align.RIGHT)
                .column("KEY", Align.LEFT)
                .column("RECORD", Align.LEFT)
                .column("VERDICT", Align.LEFT)
                .column("DETAIL", Align.LEFT);
        for (VerifiedSwitches.Verdict v : verdicts) {
            table.row(v.record().partition(), v.record().offset(), printable(v.record().key()), printable(v.what()), v.outcome(),
                    printable(v.detail()));
        }
        return table.render();
    }

    /** One line counting the refused records by why, or null when none was refused. */
    static String refusedSummary(String topic, Map<Refusal, Integer> refused) {
        if (refused.isEmpty()) {
            return null;
        }
        return "Refused records on " + topic + ": " + refused.entrySet().stream()
                .map(e -> e.getValue() + " " + name(e.getKey())).collect(Collectors.joining(", "))
                + " (--records shows each, with why)";
    }

    static ObjectNode json(String topic, Instant now, Collection<String> keyIds, Collection<VerifiedSwitches.Scope> scopes,
            VerifiedSwitches board, boolean withRecords) {
        ObjectNode json = Json.object().put("topic", topic).put("at", now.toString());
        keyIds.forEach(json.putArray("verify_key_ids")::add);
        ArrayNode list = json.putArray("switches");
        for (VerifiedSwitches.Scope s : scopes) {
            ObjectNode node = list.addObject().put("scope", s.scope()).put("state", state(s.state()));
            ControlCommand c = s.command();
            if (c != null) {
                command(node, c);
            } else if (s.water() != null) {
                node.put("sequence", s.water().sequence());
            }
            node.set("latest_record", verdict(s.latest()));
        }
        ObjectNode refused = json.putObject("refused");
        board.refused().forEach((reason, count) -> refused.put(name(reason), count));
        if (withRecords) {
            ArrayNode records = json.putArray("records");
            board.verdicts().forEach(v -> records.add(verdict(v)));
        }
        return json;
    }

    /** A command just published, as JSON. */
    static ObjectNode json(ControlCommand c) {
        return command(Json.object().put("scope", c.getScope()), c);
    }

    /** A command just published, as a table of one row. */
    static String table(ControlCommand c) {
        return new Table().column("SCOPE", Align.LEFT).column("ACTION", Align.LEFT).column("FALLBACK", Align.LEFT)
                .column("REASON", Align.LEFT).column("ISSUER", Align.LEFT).column("ISSUED_AT", Align.LEFT)
                .column("EXPIRES_AT", Align.LEFT).column("SEQUENCE", Align.RIGHT).column("KEY", Align.LEFT)
                .row(c.getScope(), c.getAction(), c.getFallbackModel(), c.getReason(), c.getIssuer(), c.getIssuedAt(),
                        c.getExpiresAt(), c.getSequence(), c.getKeyId())
                .render();
    }

    private static ObjectNode command(ObjectNode node, ControlCommand c) {
        return node.put("action", c.getAction().name())
                .put("fallback_model", c.getFallbackModel())
                .put("reason", c.getReason())
                .put("issuer", c.getIssuer())
                .put("issued_at", c.getIssuedAt().toString())
                .put("expires_at", c.getExpiresAt() == null ? null : c.getExpiresAt().toString())
                .put("sequence", c.getSequence())
                .put("key_id", c.getKeyId())
                .put("algorithm", c.getAlgorithm());
    }

    private static ObjectNode verdict(VerifiedSwitches.Verdict v) {
        return Json.object().put("partition", v.record().partition()).put("offset", v.record().offset())
                .put("key", v.record().key()).put("record", v.what()).put("verdict", v.outcome()).put("detail", v.detail());
    }

    /** What the scope's latest record is: the enforced command itself, or why it is not in force. */
    private static String latest(VerifiedSwitches.Scope s) {
        VerifiedSwitches.Verdict v = s.latest();
        boolean theCommand = v.record().command() != null && s.command() != null
                && v.record().command().getSequence() == s.command().getSequence()
                && (v.kind() == Judgement.Kind.APPLIED || v.kind() == Judgement.Kind.EXPIRED || v.kind() == Judgement.Kind.UNCHANGED);
        return theCommand ? "this command" : v.outcome() + " (" + printable(v.what()) + ")";
    }

    private static String state(VerifiedSwitches.State state) {
        return state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String name(Refusal refusal) {
        return refusal.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
