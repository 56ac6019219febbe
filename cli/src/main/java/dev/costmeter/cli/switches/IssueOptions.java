package dev.costmeter.cli.switches;

import picocli.CommandLine.Option;

/** What every switch command that publishes needs: why, who, and the keys to sign and check with. */
final class IssueOptions {

    @Option(names = "--reason", required = true, paramLabel = "<text>",
            description = "Why, in words an engineer reading a refused call understands.")
    String reason;

    @Option(names = "--operator", paramLabel = "<name>", description = "Issuer is operator:<name> (default: $USER).")
    String operator;

    @Option(names = "--signing-key", paramLabel = "<id:base64|file:path>",
            description = "The operator's private key (default: env COSTMETER_CONTROL_SIGNING_KEY). Prefer the environment "
                    + "or a file: arguments are visible to other users.")
    String signingKey;

    @Option(names = "--verify-keys", paramLabel = "<id:base64,...>",
            description = "The public keys services trust (default: env COSTMETER_CONTROL_VERIFY_KEYS): the sequence is taken "
                    + "above the scope's newest verified command, and a command they would not accept is not published.")
    String verifyKeys;
}
