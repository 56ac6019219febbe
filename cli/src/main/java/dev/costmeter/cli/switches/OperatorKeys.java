package dev.costmeter.cli.switches;

import dev.costmeter.cli.Costctl;
import dev.costmeter.schemas.control.SigningKey;
import dev.costmeter.schemas.control.VerifyKeys;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The kill-switch keys costctl uses, named as everywhere else ({@code control.signing.key},
 * {@code control.verify.keys}): the public keys services verify with ({@code --verify-keys}, else
 * the configuration's {@code control.verify.keys}: the {@code --config} file or
 * {@code COSTMETER_CONTROL_VERIFY_KEYS}), and the operator's private key to sign with
 * ({@code --signing-key}, else {@code control.signing.key}, likewise; either may be
 * {@code file:<path>}). Key material never appears in messages.
 */
final class OperatorKeys {

    static final String VERIFY_KEYS = "COSTMETER_CONTROL_VERIFY_KEYS";
    static final String SIGNING_KEY = "COSTMETER_CONTROL_SIGNING_KEY";

    private OperatorKeys() {
    }

    /** The public keys services trust; a usage error when none are configured. */
    static VerifyKeys forVerifying(String given, Costctl costctl, CommandSpec spec) {
        String configured = costctl.settings().values().get("control.verify.keys");
        String source = given != null ? "--verify-keys" : configured != null ? "control.verify.keys" : VERIFY_KEYS;
        String text = given != null ? given : configured != null ? configured : costctl.env(VERIFY_KEYS);
        if (text == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "No verify keys: set " + VERIFY_KEYS
                    + " (the public keys services hold in control.verify.keys) or pass --verify-keys id:base64[,...]; "
                    + "costctl checks switches exactly as services do");
        }
        try {
            return VerifyKeys.parse(source, text);
        } catch (ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid verify keys in " + source + ": " + e.getMessage());
        }
    }

    /** The operator's private key; a usage error when none is configured. */
    static SigningKey forSigning(String given, Costctl costctl, CommandSpec spec) {
        String configured = costctl.settings().values().get("control.signing.key");
        String source = given != null ? "--signing-key" : configured != null ? "control.signing.key" : SIGNING_KEY;
        String text = given != null ? given : configured != null ? configured : costctl.env(SIGNING_KEY);
        if (text == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "No key to sign with: set " + SIGNING_KEY
                    + " (id:base64 PKCS#8, or file:<path>; `costctl keys generate` makes a pair) or pass --signing-key; "
                    + "services ignore unsigned commands");
        }
        try {
            return SigningKey.parse(source, text);
        } catch (ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid signing key in " + source + ": " + e.getMessage());
        }
    }
}
