package dev.costmeter.metering;

import static dev.costmeter.metering.MeteringDriver.GPT_IN;
import static dev.costmeter.metering.MeteringDriver.GPT_OUT;
import static dev.costmeter.metering.MeteringDriver.T0;
import static dev.costmeter.metering.MeteringDriver.call;
import static dev.costmeter.metering.MeteringDriver.price;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.metering.serde.TaskTotalsSerde;
import dev.costmeter.metering.state.TaskTotals;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deduplication by event_id: ids kept with their task, spilling to the dedup store. */
class DeduplicationTest {

    private static final int IDS_PER_TASK = 3;

    @TempDir
    Path stateDir;

    private MeteringDriver metering;

    private void start(Duration horizon) throws IOException {
        metering = new MeteringDriver(MeteringSettings.defaults().withDedup(horizon, IDS_PER_TASK), stateDir);
        metering.send(price("gpt-4o", T0.minus(Duration.ofDays(30)), GPT_IN, GPT_OUT).build());
    }

    @AfterEach
    void stop() {
        if (metering != null) {
            metering.close();
        }
    }

    @Test
    void shouldChargeEveryCallOfATaskOnceWhenItHasMoreCallsThanItsTotalsHoldIds() throws IOException {
        start(Duration.ofHours(24));
        IntStream.range(0, 10).forEach(i -> metering.send(call("e" + i, "t1", T0.plusSeconds(i)).build()));
        // Every copy again, the earliest (kept with the task) and the latest (in the dedup store) alike.
        IntStream.range(0, 10).forEach(i -> metering.send(call("e" + i, "t1", T0.plusSeconds(i)).build()));

        assertThat(metering.ledgerRows()).extracting(PricedUsage::getEventId)
                .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "e" + i).toList());
        assertThat(metering.counter("costmeter.metering.deduplicated")).isEqualTo(10.0);
        KeyValueStore<String, Long> spilled = metering.driver.getKeyValueStore(MeteringTopology.DEDUP_STORE);
        assertThat(spilled.get("e0")).isNull();
        assertThat(spilled.get("e9")).isEqualTo(T0.plusSeconds(9).toEpochMilli());
        assertThat(tasks().get("t1").getDedupSpilled()).isTrue();
        assertThat(tasks().get("t1").getCalls()).isEqualTo(10L);
    }

    @Test
    void shouldUseNoDedupStoreEntryForATaskWhoseIdsFitInItsTotals() throws IOException {
        start(Duration.ofHours(24));
        IntStream.range(0, IDS_PER_TASK).forEach(i -> metering.send(call("e" + i, "t1", T0.plusSeconds(i)).build()));
        metering.send(call("e1", "t1", T0.plusSeconds(1)).build());

        assertThat(metering.ledgerRows()).hasSize(IDS_PER_TASK);
        assertThat(metering.counter("costmeter.metering.deduplicated")).isEqualTo(1.0);
        KeyValueStore<String, Long> spilled = metering.driver.getKeyValueStore(MeteringTopology.DEDUP_STORE);
        assertThat(spilled.approximateNumEntries()).isZero();
        assertThat(tasks().get("t1").getDedupSpilled()).isFalse();
    }

    @Test
    void shouldNotConfuseTheSameEventIdInAnotherTask() throws IOException {
        start(Duration.ofHours(24));
        metering.send(call("e1", "t1", T0).build());
        metering.send(call("e1", "t2", T0).build());

        assertThat(metering.ledgerRows()).extracting(PricedUsage::getTaskId).containsExactly("t1", "t2");
    }

    @Test
    void shouldRememberIdsForTheHorizonOfTheTasksLatestCall() throws IOException {
        start(Duration.ofHours(1));
        metering.driver.advanceWallClockTime(Duration.ofHours(3)); // every event below is in the past
        metering.send(call("e1", "t1", T0).build());
        metering.send(call("e2", "t1", T0.plus(Duration.ofMinutes(50))).build());
        metering.send(call("e1", "t1", T0).build());
        assertThat(metering.ledgerRows()).extracting(PricedUsage::getEventId).containsExactly("e1", "e2");

        metering.send(call("e3", "t1", T0.plus(Duration.ofHours(2))).build());
        // e1 is now more than the horizon before the task's latest call: it was let go.
        metering.send(call("e1", "t1", T0).build());
        assertThat(metering.ledgerRows()).extracting(PricedUsage::getEventId).containsExactly("e3", "e1");
    }

    @Test
    void shouldStillFindIdsInTheDedupStoreForTasksStoredBeforeIdsWereKeptWithThem() throws IOException {
        start(Duration.ofHours(24));
        // State as an earlier version left it: the task's totals without ids, its ids in the dedup store.
        TaskTotals legacy = TaskTotals.newBuilder().setTaskId("t1").setTenantId("acme").setTaskClass("support-answer")
                .setRoute("chat").setCalls(1L).setRetries(0L).setFailures(0L).setResponseCacheHits(0L).setUnpricedCalls(0L)
                .setInputTokens(0L).setOutputTokens(0L).setCacheReadTokens(0L).setCacheWriteTokens(0L).setCostNanos(0L)
                .setSavingsNanos(0L).setToolCalls(0L).setModels(new HashMap<>()).setFirstSeen(T0.toEpochMilli())
                .setLastSeen(T0.toEpochMilli()).setDedupSpilled(true).build();
        tasks().put("t1", legacy);
        metering.driver.<String, Long>getKeyValueStore(MeteringTopology.DEDUP_STORE).put("e1", T0.toEpochMilli());

        metering.send(call("e1", "t1", T0).build());
        metering.send(call("e2", "t1", T0.plusSeconds(1)).build());

        assertThat(metering.ledgerRows()).extracting(PricedUsage::getEventId).containsExactly("e2");
        assertThat(tasks().get("t1").getCalls()).isEqualTo(2L);
    }

    @Test
    void shouldWriteEachCallsTaskTotalsToTheChangelogInTheCommitOfThatCall() throws IOException {
        start(Duration.ofHours(24));
        metering.send(call("e1", "t1", T0).build());
        metering.send(call("e2", "t1", T0.plusSeconds(1)).build());

        // The test driver commits after every record: each commit must carry that record's state change.
        List<TestRecord<String, TaskTotals>> changelog = metering.driver.createOutputTopic(
                metering.applicationId + "-" + MeteringTopology.TASK_STORE + "-changelog", new StringDeserializer(),
                TaskTotalsSerde.create().deserializer()).readRecordsToList();
        assertThat(changelog).extracting(r -> r.value().getCalls()).containsExactly(1L, 2L);
    }

    private KeyValueStore<String, TaskTotals> tasks() {
        return metering.driver.getKeyValueStore(MeteringTopology.TASK_STORE);
    }
}
