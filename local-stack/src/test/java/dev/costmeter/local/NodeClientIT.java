package dev.costmeter.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * client/README.md's Node example against a freshly started stack, as a new user would run it: the
 * usage subject must be there before any Java producer ran (the stack registers every contract
 * schema at start), and kafkajs, with no compression plugin, must decode the ledger (metering writes
 * it gzip-compressed: kafkajs fails silently on LZ4).
 */
class NodeClientIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void shouldLetANodeProducerReportUsageAndReadItsLedgerRowsDecodedOnAFreshStack() throws Exception {
        NodeScripts.installed();
        StackConfig config = StackConfig.defaults(dataDir).withPorts(LocalStackIT.freePorts()).withGatewayPort(LocalStackIT.freePort())
                .withAlertingInstances(0).withoutConnect();
        String runId = UUID.randomUUID().toString();
        try (LocalStack stack = LocalStack.start(config)) {
            NodeScripts.Result run = NodeScripts.node("usage-roundtrip.js", Map.of("BROKERS", stack.bootstrapServers(),
                    "REGISTRY_URL", stack.registryUrl(), "RUN_ID", runId, "RUN_COUNT", "3"), 180);
            assertThat(run.exitCode()).as("node usage-roundtrip.js; stderr:\n%s", run.stderr()).isZero();

            List<JsonNode> rows = new ArrayList<>();
            for (String line : run.stdout()) {
                rows.add(JSON.readTree(line));
            }
            assertThat(rows).extracting(row -> row.get("event_id").asText())
                    .containsExactlyInAnyOrder(runId + "-0", runId + "-1", runId + "-2");
            for (JsonNode row : rows) {
                int i = Integer.parseInt(row.get("event_id").asText().substring(runId.length() + 1));
                assertThat(row.get("tenant_id").asText()).isEqualTo("node-tenant");
                assertThat(row.get("input_tokens").asLong()).isEqualTo(1000 + i);
                assertThat(row.get("cache_read_tokens").asLong()).isEqualTo(5000);
                assertThat(row.get("cache_write_tokens").asLong()).isEqualTo(300);
                assertThat(row.get("priced").asBoolean()).as("priced from the shipped catalog").isTrue();
                assertThat(row.get("cost_nanos").asLong()).isPositive();
                assertThat(row.get("cache_read_cost_nanos").asLong()).isPositive();
            }
        }
    }
}
