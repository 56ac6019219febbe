package dev.costmeter.cli.switches;

import picocli.CommandLine.Option;

/** What every switch command that publishes needs: why, who, and the key to sign with. */
final class IssueOptions {

    @Option(names = "--reason", required = true, paramLabel = "<text>",
            description = "Why, in words an engineer reading a refused call understands.")
    String reason;

    @Option(names = "--operator", paramLabel = "<name>", description = "Issuer is operator:<name> (default: $USER).")
    String operator;

    @Option(names = "--keys", paramLabel = "<id:base64secret,...>",
            description = "Key ring to sign with; the first key signs (default: env COSTMETER_OPERATOR_KEYS, else "
                    + "COSTMETER_CONTROL_KEYS). Prefer the environment: arguments are visible to other users.")
    String keys;
}
