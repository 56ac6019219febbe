package dev.costmeter.local;

import java.nio.file.Files;
import java.nio.file.Path;
import dev.costmeter.local.security.StackPrincipal;
import dev.costmeter.local.security.StackSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs costctl in-process to apply the shipped price catalog and budgets; unchanged files publish nothing. */
final class Costctl {

    private static final Logger log = LoggerFactory.getLogger(Costctl.class);

    private Costctl() {
    }

    static void apply(StackConfig config, java.util.Optional<StackSecurity> security, String what, Path file)
            throws LocalStack.StackStartException {
        if (!Files.exists(file)) {
            log.warn("No {} file at {}; nothing applied", what, file);
            return;
        }
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "--bootstrap-servers", config.bootstrapServers(), "--schema-registry-url", config.registryUrl(),
                what, "apply", file.toString()));
        // Secure: as the operator, the only principal the ACLs let write prices and budgets.
        security.ifPresent(s -> args.addAll(0, java.util.List.of("--config", s.clientFile(StackPrincipal.OPERATOR).toString())));
        if (what.equals("budgets")) {
            args.addAll(java.util.List.of("--operator", "costmeter-local-stack"));
        }
        int exit = dev.costmeter.cli.Costctl.commandLine(new dev.costmeter.cli.Costctl()).execute(args.toArray(String[]::new));
        if (exit != 0) {
            throw new LocalStack.StackStartException("costctl " + what + " apply " + file + " failed with exit code " + exit);
        }
    }
}
