package dev.costmeter.cli.switches;

import dev.costmeter.cli.Costctl;
import dev.costmeter.schemas.control.KeyRing;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The key rings costctl uses: to check signatures ({@code --keys}, else {@code COSTMETER_CONTROL_KEYS},
 * the ring services trust) and to sign an operator's commands ({@code --keys}, else
 * {@code COSTMETER_OPERATOR_KEYS}, else {@code COSTMETER_CONTROL_KEYS}). Text form
 * {@code id:base64secret[,...]}; the first key signs. Secrets never appear in messages.
 */
final class OperatorKeys {

    static final String CONTROL_KEYS = "COSTMETER_CONTROL_KEYS";
    static final String OPERATOR_KEYS = "COSTMETER_OPERATOR_KEYS";

    private OperatorKeys() {
    }

    /** The ring to verify with, or null when none is configured (signatures are then shown as unchecked). */
    static KeyRing forVerifying(String given, Costctl costctl, CommandSpec spec) {
        if (given != null) {
            return parse("--keys", given, spec);
        }
        String control = costctl.env(CONTROL_KEYS);
        return control == null ? null : parse(CONTROL_KEYS, control, spec);
    }

    /** The ring to sign with; a usage error when none is configured. */
    static KeyRing forSigning(String given, Costctl costctl, CommandSpec spec) {
        if (given != null) {
            return parse("--keys", given, spec);
        }
        for (String name : new String[] {OPERATOR_KEYS, CONTROL_KEYS}) {
            String text = costctl.env(name);
            if (text != null) {
                return parse(name, text, spec);
            }
        }
        throw new CommandLine.ParameterException(spec.commandLine(), "No key to sign with: set " + OPERATOR_KEYS + " (or "
                + CONTROL_KEYS + ") or pass --keys id:base64secret; services ignore unsigned commands");
    }

    private static KeyRing parse(String source, String text, CommandSpec spec) {
        try {
            return KeyRing.parse(source, text);
        } catch (ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid key ring in " + source + ": " + e.getMessage());
        }
    }
}
