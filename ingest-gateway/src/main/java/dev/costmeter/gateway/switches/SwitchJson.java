package dev.costmeter.gateway.switches;

import dev.costmeter.client.killswitch.Decision;
import dev.costmeter.contracts.ControlCommand;
import java.util.LinkedHashMap;
import java.util.Map;

/** Switch decisions and signed commands as the HTTP API shows them. */
public final class SwitchJson {

    private SwitchJson() {
    }

    /** {@code {"decision":"BLOCK","scope":...,"reason":...}} ({@code model} for a DEGRADE). */
    public static Map<String, Object> decision(Decision decision) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (decision instanceof Decision.Block block) {
            body.put("decision", "BLOCK");
            body.put("scope", block.scope());
            body.put("reason", block.reason());
        } else if (decision instanceof Decision.Degrade degrade) {
            body.put("decision", "DEGRADE");
            body.put("scope", degrade.scope());
            body.put("reason", degrade.reason());
            body.put("model", degrade.model());
        } else {
            body.put("decision", "ALLOW");
        }
        return body;
    }

    /**
     * Every field of the signed command, with the names and values the signature covers (client/README.md,
     * "Wire contract"): times as epoch millis, {@code sequence} as a decimal string (JavaScript numbers
     * lose longs above 2^53), absent values as null.
     */
    public static Map<String, Object> command(ControlCommand c) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scope", c.getScope());
        body.put("action", c.getAction().name());
        body.put("fallback_model", c.getFallbackModel());
        body.put("reason", c.getReason());
        body.put("issued_at", c.getIssuedAt() == null ? null : c.getIssuedAt().toEpochMilli());
        body.put("expires_at", c.getExpiresAt() == null ? null : c.getExpiresAt().toEpochMilli());
        body.put("issuer", c.getIssuer());
        body.put("sequence", Long.toString(c.getSequence()));
        body.put("key_id", c.getKeyId());
        body.put("algorithm", c.getAlgorithm());
        body.put("signature", c.getSignature());
        return body;
    }
}
