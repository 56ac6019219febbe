package dev.costmeter.testkit.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroSerializer;
import java.io.IOException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes a fixed usage event has on the wire. Any change to them breaks every consumer in
 * every language, so this test must only ever change together with a new schema version.
 */
class GoldenWireBytesTest {

    /** Magic 0, schema id 1 (the first registered in a fresh registry), then the Avro binary of the event. */
    static final String GOLDEN = "0000000001"
            + "0665 2d31"                       // event_id "e-1"
            + "80d6f8cad866"                    // event_time 1764236400000 (zig-zag varint)
            + "0861636d65"                      // tenant_id "acme"
            + "06742d31"                        // task_id "t-1"
            + "1c737570706f72742d616e73776572"  // task_class "support-answer"
            + "0863686174"                      // route "chat"
            + "00"                              // prompt_version null
            + "00"                              // end_user_id null
            + "0c6f70656e6169"                  // provider "openai"
            + "0c6770742d346f"                  // model "gpt-4o"
            + "a01f"                            // input_tokens 2000
            + "e807"                            // output_tokens 500
            + "00" + "00" + "00"                // cache read, cache write, reasoning: 0
            + "00"                              // batch false
            + "02"                              // attempt 1
            + "00" + "00" + "00" + "00"         // step, tool_name, tool_args_hash, prompt_hash: null
            + "00"                              // status OK (enum index 0)
            + "00"                              // response_cache_hit false
            + "00" + "00"                       // latency_ms, provider_cost_nanos: null
            + "00"                              // labels: empty map
            // UsageEvent v2 (pricing dimensions), appended with defaults: readers of v1 resolve them away
            + "00" + "00" + "00";               // cache_write_1h_tokens 0, service_tier null, request_counts: empty map

    @Test
    void shouldEncodeAFixedUsageEventToTheGoldenBytes() throws IOException {
        try (SchemaRegistryServer server = SchemaRegistryServer.start(RegistryServerConfig.builder().host("127.0.0.1").port(0).build())) {
            AvroSerializer<UsageEvent> serializer = new AvroSerializer<>();
            serializer.configure(Map.of(RegistryClientConfig.URL, server.baseUri().toString()), false);
            UsageEvent event = UsageEvent.newBuilder()
                    .setEventId("e-1").setEventTime(Instant.ofEpochMilli(1_764_236_400_000L)).setTenantId("acme")
                    .setTaskId("t-1").setTaskClass("support-answer").setRoute("chat").setProvider("openai")
                    .setModel("gpt-4o").setInputTokens(2_000).setOutputTokens(500).setStatus(CallStatus.OK).build();

            assertThat(HexFormat.of().formatHex(serializer.serialize("llm.usage.v1", event)))
                    .isEqualTo(GOLDEN.replace(" ", ""));
        }
    }
}
