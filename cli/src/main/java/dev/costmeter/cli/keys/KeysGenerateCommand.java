package dev.costmeter.cli.keys;

import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.CostctlException;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import dev.costmeter.schemas.control.ControlKeyPair;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code costctl keys generate}: a new Ed25519 key pair in the configuration forms, the private half
 * for {@code control.signing.key} (an issuer only), the public half for {@code control.verify.keys}
 * (every verifier). It talks to nothing.
 */
@Command(name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Print a new Ed25519 key pair for kill-switch commands: control.signing.key (private: alerting-stream,",
            "or an operator's costctl, only) and control.verify.keys (public: every service, alerting-stream and",
            "costctl). With --signing-key-file the private key goes to a new file readable by its owner only."})
public final class KeysGenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--id", paramLabel = "<key-id>",
            description = "The key id written into every command it signs (default: costmeter-<UTC date>-<random>).")
    String id;

    @Option(names = "--signing-key-file", paramLabel = "<path>",
            description = "Write the private key to this new file (never overwritten) and print file:<path> instead of it.")
    Path signingKeyFile;

    @Option(names = "--env", description = "Print COSTMETER_CONTROL_SIGNING_KEY=... and COSTMETER_CONTROL_VERIFY_KEYS=... lines.")
    boolean env;

    @Override
    public Integer call() {
        Costctl costctl = Costctl.root(spec);
        String keyId = id != null ? id : "costmeter-" + DateTimeFormatter.ofPattern("yyyyMMdd").format(costctl.clock().instant()
                .atOffset(ZoneOffset.UTC)) + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        ControlKeyPair pair;
        try {
            pair = ControlKeyPair.generate(keyId);
        } catch (ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid --id: " + e.getMessage());
        }
        String signing = pair.signingKeyText();
        if (signingKeyFile != null) {
            try {
                pair.writeSigningKey(signingKeyFile);
            } catch (FileAlreadyExistsException e) {
                throw CostctlException.failed(signingKeyFile + " exists; a key is never overwritten");
            } catch (IOException e) {
                throw CostctlException.failed("cannot write " + signingKeyFile + ": " + e.getMessage(), e);
            }
            signing = "file:" + signingKeyFile.toAbsolutePath();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (costctl.output() == Output.JSON) {
            out.print(Json.pretty(Json.object().put("key_id", keyId).put("algorithm", "Ed25519")
                    .put("signing_key", signing).put("verify_key", pair.verifyKeyText())));
        } else {
            String signingName = env ? "COSTMETER_CONTROL_SIGNING_KEY" : "control.signing.key";
            String verifyName = env ? "COSTMETER_CONTROL_VERIFY_KEYS" : "control.verify.keys";
            out.println("# Kill-switch key pair '" + keyId + "' (Ed25519), generated " + costctl.clock().instant() + ".");
            out.println("# PRIVATE: for one issuer only (alerting-stream, or an operator's costctl). Keep it in a secret store;");
            out.println("# whoever holds it can lift any kill switch.");
            out.println(signingName + "=" + signing);
            out.println("# PUBLIC: add it to the comma-separated " + verifyName + " of every service, of alerting-stream and of");
            out.println("# costctl; keep the old key there until alerting-stream has re-signed what it signed.");
            out.println(verifyName + "=" + pair.verifyKeyText());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
