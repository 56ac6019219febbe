package dev.costmeter.metering.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.metering.state.ModelUsage;
import dev.costmeter.metering.state.TaskTotals;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class TaskTotalsSerdeTest {

    private static TaskTotals sample(String outcome, Long outcomeTime) {
        Map<String, ModelUsage> models = new HashMap<>();
        models.put("openai/gpt-4o", new ModelUsage(3L, 30_000_000L));
        models.put("anthropic/claude-sonnet-4-6", new ModelUsage(1L, 7L));
        return TaskTotals.newBuilder().setTaskId("t-1").setTenantId("acme").setTaskClass("agent-run").setRoute("research")
                .setCalls(4L).setRetries(1L).setFailures(1L).setResponseCacheHits(0L).setUnpricedCalls(0L)
                .setInputTokens(8_000L).setOutputTokens(2_000L).setCacheReadTokens(4_096L).setCacheWriteTokens(0L)
                .setCostNanos(30_000_007L).setSavingsNanos(0L).setToolCalls(2L).setModels(models)
                .setFirstSeen(1_764_236_400_000L).setLastSeen(1_764_236_460_000L)
                .setOutcome(outcome).setOutcomeTime(outcomeTime).setHumanCorrected(outcome != null).build();
    }

    @Test
    void shouldRoundTripTotalsWithAndWithoutAnOutcome() {
        Serde<TaskTotals> serde = TaskTotalsSerde.create();
        for (TaskTotals totals : new TaskTotals[] {sample(null, null), sample("SUCCESS", 1_764_236_470_000L)}) {
            assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", totals))).isEqualTo(totals);
        }
    }

    @Test
    void shouldStillReadStateWrittenInTheAvroFormat() {
        TaskTotals totals = sample("FAILURE", 1L);
        byte[] avro = InternalAvroSerde.of(TaskTotals.class).serializer().serialize("t", totals);
        assertThat(TaskTotalsSerde.create().deserializer().deserialize("t", avro)).isEqualTo(totals);
    }
}
