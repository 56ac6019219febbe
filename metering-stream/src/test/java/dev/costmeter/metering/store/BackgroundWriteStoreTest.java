package dev.costmeter.metering.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against Kafka's RocksDB store, with the background writer held at a gate the test opens. */
class BackgroundWriteStoreTest {

    @TempDir
    Path stateDir;

    /** Batches wait here until the test lets them through; each applied batch is counted in {@link #done}. */
    private final Semaphore gate = new Semaphore(0);
    private final Semaphore done = new Semaphore(0);
    private final ExecutorService writerThread = Executors.newSingleThreadExecutor();
    private BackgroundWriteStore store;

    @BeforeEach
    void open() {
        store = new BackgroundWriteStore(Stores.persistentKeyValueStore("tasks").get(), runnable -> writerThread.execute(() -> {
            gate.acquireUninterruptibly();
            try {
                runnable.run();
            } finally {
                done.release();
            }
        }));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "background-write-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
        store.init(context.getStateStoreContext(), store);
    }

    @AfterEach
    void close() throws Exception {
        gate.release(1_000);
        store.close();
        writerThread.shutdownNow();
        writerThread.awaitTermination(10, TimeUnit.SECONDS);
    }

    private static Bytes key(String key) {
        return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] value(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** What an interactive query, on another thread, reads: RocksDB as it is. */
    private static <T> T fromAnotherThread(Supplier<T> read) throws Exception {
        return CompletableFuture.supplyAsync(read).get(30, TimeUnit.SECONDS);
    }

    private void letThrough(int batches) throws InterruptedException {
        gate.release(batches);
        assertThat(done.tryAcquire(batches, 30, TimeUnit.SECONDS)).isTrue();
    }

    /** Opens the gate once the stream thread (this test) waits, as it must, for the writer. */
    private void openGateSoon() {
        Thread streamThread = Thread.currentThread();
        CompletableFuture.runAsync(() -> {
            await("the stream thread waiting for the writer").atMost(Duration.ofSeconds(30))
                    .until(() -> streamThread.getState() == Thread.State.WAITING);
            gate.release(1_000);
        });
    }

    @Test
    void shouldAnswerTheStreamThreadFromABatchRocksDbHasNotAppliedYet() throws Exception {
        store.putAll(List.of(KeyValue.pair(key("a"), value("1")), KeyValue.pair(key("b"), value("2"))));

        assertThat(text(store.get(key("a")))).isEqualTo("1");
        assertThat(text(store.get(key("b")))).isEqualTo("2");
        assertThat(fromAnotherThread(() -> store.get(key("a")))).isNull();

        letThrough(1);

        assertThat(text(fromAnotherThread(() -> store.get(key("a"))))).isEqualTo("1");
        assertThat(text(store.get(key("a")))).isEqualTo("1");
    }

    @Test
    void shouldAnswerWithTheNewestBatchsValueWhenOlderBatchesOfTheSameKeyAreApplied() throws Exception {
        store.putAll(List.of(KeyValue.pair(key("a"), null)));
        store.putAll(List.of(KeyValue.pair(key("a"), value("2"))));
        store.putAll(List.of(KeyValue.pair(key("a"), null)));

        // RocksDB now holds the second batch's value; the third batch, a delete, is still pending.
        letThrough(2);
        assertThat(text(fromAnotherThread(() -> store.get(key("a"))))).isEqualTo("2");

        assertThat(store.get(key("a"))).isNull();

        letThrough(1);
        assertThat(store.get(key("a"))).isNull();
        assertThat(fromAnotherThread(() -> store.get(key("a")))).isNull();
    }

    @Test
    void shouldApplyBatchesInTheOrderTheyWereGiven() throws Exception {
        for (int i = 0; i < 50; i++) {
            store.putAll(List.of(KeyValue.pair(key("a"), value(Integer.toString(i))), KeyValue.pair(key("n" + i), value("x"))));
        }
        letThrough(50);

        assertThat(text(fromAnotherThread(() -> store.get(key("a"))))).isEqualTo("49");
        assertThat(fromAnotherThread(store::approximateNumEntries)).isPositive();
    }

    @Test
    void shouldApplyEverythingPendingBeforeIteratingForTheStreamThread() {
        store.putAll(List.of(KeyValue.pair(key("a"), value("1")), KeyValue.pair(key("b"), value("2"))));
        store.putAll(List.of(KeyValue.pair(key("a"), null)));
        openGateSoon();

        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            all.forEachRemaining(entry -> keys.add(new String(entry.key.get(), StandardCharsets.UTF_8) + "=" + text(entry.value)));
        }

        assertThat(keys).containsExactly("b=2");
    }

    @Test
    void shouldApplyEverythingPendingBeforeCommittingTheChangelogOffset() throws Exception {
        store.putAll(List.of(KeyValue.pair(key("a"), value("1"))));
        openGateSoon();
        TopicPartition changelog = new TopicPartition("background-write-test-tasks-changelog", 0);

        store.commit(Map.of(changelog, 42L));

        assertThat(store.committedOffset(changelog)).isEqualTo(42L);
        assertThat(text(fromAnotherThread(() -> store.get(key("a"))))).isEqualTo("1");
    }

    @Test
    void shouldApplyPendingBatchesBeforeASingleWrite() throws Exception {
        store.putAll(List.of(KeyValue.pair(key("a"), value("1"))));
        openGateSoon();

        store.put(key("a"), value("2"));

        assertThat(text(fromAnotherThread(() -> store.get(key("a"))))).isEqualTo("2");
    }

    @Test
    void shouldFailTheStreamThreadsNextCallWhenABackgroundWriteFailsAndApplyNothingAfterIt() throws Exception {
        // A batch that cannot be written: an entry without a key.
        List<KeyValue<Bytes, byte[]>> refused = new ArrayList<>();
        refused.add(KeyValue.pair(key("a"), value("1")));
        refused.add(new KeyValue<>(null, value("x")));
        store.putAll(refused);
        store.putAll(List.of(KeyValue.pair(key("b"), value("2"))));
        // The failed batch is the last one the writer is given.
        letThrough(1);

        assertThatThrownBy(() -> store.get(key("c")))
                .isInstanceOf(ProcessorStateException.class)
                .hasMessageContaining("background write to store tasks failed");
        assertThatThrownBy(() -> store.putAll(List.of(KeyValue.pair(key("c"), value("3")))))
                .isInstanceOf(ProcessorStateException.class);
        assertThatThrownBy(store::flush).isInstanceOf(ProcessorStateException.class);
        assertThat(fromAnotherThread(() -> store.get(key("b")))).isNull();
    }

    @Test
    void shouldWriteAStoreThatDoesNotWriteRocksDbBatchesAtOnce() throws Exception {
        KeyValueStore<Bytes, byte[]> memory = new BackgroundWriteStore(Stores.inMemoryKeyValueStore("memory").get(),
                runnable -> {
                    throw new AssertionError("an in-memory store is written by the caller");
                });
        memory.init(new MockProcessorContext<>().getStateStoreContext(), memory);

        memory.putAll(List.of(KeyValue.pair(key("a"), value("1"))));

        assertThat(text(fromAnotherThread(() -> memory.get(key("a"))))).isEqualTo("1");
        memory.close();
    }

    @Test
    void shouldApplyPendingBatchesBeforeClosingRocksDb() throws Exception {
        store.putAll(List.of(KeyValue.pair(key("a"), value("1"))));
        openGateSoon();

        store.close();

        File[] files = stateDir.resolve("rocksdb").toFile().listFiles();
        assertThat(files).isNotEmpty();
        open();
        assertThat(text(store.get(key("a")))).isEqualTo("1");
    }
}
