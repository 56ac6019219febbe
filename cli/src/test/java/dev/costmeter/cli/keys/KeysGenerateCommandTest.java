package dev.costmeter.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.CostctlRun;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.schemas.control.ControlKeyPair;
import dev.costmeter.schemas.control.SigningKey;
import dev.costmeter.schemas.control.VerifyKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysGenerateCommandTest {

    @TempDir
    Path dir;

    private static Map<String, String> settings(String out) {
        return out.lines().filter(l -> !l.startsWith("#")).collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')),
                l -> l.substring(l.indexOf('=') + 1)));
    }

    @Test
    void shouldPrintAMatchingPairInTheConfigurationForms() {
        CostctlRun run = CostctlRun.of("keys", "generate", "--id", "ops-2026-12");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        Map<String, String> settings = settings(run.out());
        assertThat(settings).containsOnlyKeys("control.signing.key", "control.verify.keys");
        SigningKey signing = SigningKey.parse("out", settings.get("control.signing.key"));
        VerifyKeys verify = VerifyKeys.parse("out", settings.get("control.verify.keys"));
        assertThat(signing.id()).isEqualTo("ops-2026-12");
        assertThat(ControlKeyPair.matches(signing, verify)).isTrue();
        assertThat(run.out()).contains("# PRIVATE: for one issuer only");
        assertThat(CostctlRun.of("keys", "generate").out()).as("a dated default id").contains("control.verify.keys=costmeter-20261127-");
    }

    @Test
    void shouldWriteThePrivateKeyToAFileAndPrintOnlyItsReference() throws Exception {
        Path file = dir.resolve("alerting/signing.key");

        CostctlRun run = CostctlRun.of("keys", "generate", "--id", "alerting-1", "--signing-key-file", file.toString(), "--env");

        Map<String, String> settings = settings(run.out());
        assertThat(settings.get("COSTMETER_CONTROL_SIGNING_KEY")).isEqualTo("file:" + file.toAbsolutePath());
        String secret = Files.readString(file).strip();
        assertThat(run.out()).doesNotContain(secret.substring(secret.indexOf(':') + 1));
        assertThat(ControlKeyPair.matches(SigningKey.parse("f", settings.get("COSTMETER_CONTROL_SIGNING_KEY")),
                VerifyKeys.parse("v", settings.get("COSTMETER_CONTROL_VERIFY_KEYS")))).isTrue();
        CostctlRun again = CostctlRun.of("keys", "generate", "--signing-key-file", file.toString());
        assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(again.err()).contains("exists; a key is never overwritten");
    }

    @Test
    void shouldPrintJsonAndRefuseABadId() throws Exception {
        JsonNode json = Json.mapper().readTree(CostctlRun.of("--output", "json", "keys", "generate", "--id", "k1").out());
        assertThat(json.get("algorithm").asText()).isEqualTo("Ed25519");
        assertThat(json.get("verify_key").asText()).startsWith("k1:");

        CostctlRun bad = CostctlRun.of("keys", "generate", "--id", "has space");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("Invalid --id");
    }
}
