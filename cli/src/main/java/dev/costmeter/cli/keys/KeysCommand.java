package dev.costmeter.cli.keys;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code costctl keys}: the Ed25519 keys kill-switch commands are signed and verified with. */
@Command(name = "keys",
        mixinStandardHelpOptions = true,
        subcommands = {KeysGenerateCommand.class},
        description = "Kill-switch keys: issuers sign with a private key, services verify with public keys.")
public final class KeysCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: generate");
    }
}
