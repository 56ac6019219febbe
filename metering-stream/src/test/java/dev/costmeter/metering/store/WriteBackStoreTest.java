package dev.costmeter.metering.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WriteBackStoreTest {

    private static final int MAX_ENTRIES = 3;

    private KeyValueStore<String, String> store;

    @BeforeEach
    void open() {
        store = WriteBackStore.over(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("s"), Serdes.String(),
                Serdes.String()).withLoggingDisabled(), MAX_ENTRIES).build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** What an interactive query, on another thread, reads. */
    private static <T> T fromAnotherThread(Supplier<T> read) throws Exception {
        return CompletableFuture.supplyAsync(read).get();
    }

    private void commit() {
        ((org.apache.kafka.streams.state.internals.CachedStateStore<?, ?>) store).flushCache();
    }

    @Test
    void shouldAnswerTheWriterFromTheCacheAndWriteBackWhenStreamsFlushesBeforeCommitting() throws Exception {
        store.put("a", "1");

        assertThat(store.get("a")).isEqualTo("1");
        assertThat(fromAnotherThread(() -> store.get("a"))).isNull();

        commit();

        assertThat(fromAnotherThread(() -> store.get("a"))).isEqualTo("1");
    }

    @Test
    void shouldWriteBackOnceMaxEntriesChangesArePending() throws Exception {
        store.put("a", "1");
        store.put("b", "2");
        assertThat(fromAnotherThread(() -> store.approximateNumEntries())).isZero();

        store.put("c", "3");

        assertThat(fromAnotherThread(() -> store.get("c"))).isEqualTo("3");
        assertThat(fromAnotherThread(() -> store.approximateNumEntries())).isEqualTo(3L);
    }

    @Test
    void shouldWriteBackADeleteAndAnswerTheWriterWithNothingBeforeThat() throws Exception {
        store.put("a", "1");
        commit();

        assertThat(store.delete("a")).isEqualTo("1");
        assertThat(store.get("a")).isNull();
        assertThat(fromAnotherThread(() -> store.get("a"))).isEqualTo("1");

        commit();
        assertThat(fromAnotherThread(() -> store.get("a"))).isNull();
    }

    @Test
    void shouldIncludePendingChangesWhenTheWriterIterates() {
        store.put("a", "1");
        store.put("b", "2");
        store.delete("a");

        List<KeyValue<String, String>> all = new ArrayList<>();
        try (KeyValueIterator<String, String> iterator = store.all()) {
            iterator.forEachRemaining(all::add);
        }

        assertThat(all).containsExactly(KeyValue.pair("b", "2"));
    }

    @Test
    void shouldDropPendingChangesWhenStreamsClearsTheCache() throws Exception {
        store.put("a", "1");

        ((org.apache.kafka.streams.state.internals.CachedStateStore<?, ?>) store).clearCache();
        commit();

        assertThat(store.get("a")).isNull();
        assertThat(fromAnotherThread(() -> store.get("a"))).isNull();
    }

    @Test
    void shouldKeepReadValuesForTheWriterWithoutGoingToTheStore() {
        store.put("a", "1");
        readForAnotherRecord("a");
        commit();
        // The writer's read is answered from the cache: the same object, not a fresh deserialization.
        String first = readForAnotherRecord("a");

        assertThat(readForAnotherRecord("a")).isSameAs(first);
    }

    /** A read for another record than the last one (the processors of one record read its key in turn). */
    private String readForAnotherRecord(String key) {
        store.get("another record's key");
        return store.get(key);
    }

    @Test
    void shouldGiveAValueReadSinceTheLastEvictionPassASecondChance() {
        String b = new String("2");
        String c = new String("3");
        store.put("a", "1");
        store.put("b", b);
        readForAnotherRecord("a");
        readForAnotherRecord("b");
        commit();
        store.put("c", c);
        readForAnotherRecord("c");
        commit();
        store.put("d", "4"); // the cache overflows: one pass clears every read mark and drops the eldest, a
        commit();            // d was only written: dropped once written back
        assertThat(readForAnotherRecord("c")).isSameAs(c); // c is read again: marked

        store.put("e", "5");
        store.put("f", "6"); // overflows again: b, unmarked and the eldest, goes; c gets a second chance

        assertThat(readForAnotherRecord("c")).isSameAs(c);
        assertThat(readForAnotherRecord("b")).isEqualTo("2").isNotSameAs(b); // evicted: read from the store again
    }

    @Test
    void shouldDropAValueNotReadForAnotherRecordOnceItIsWrittenBack() {
        String once = new String("1");
        String twice = new String("2");
        store.put("once", once);
        store.get("once"); // read for the same record: not a reason to keep it
        store.put("twice", twice);
        readForAnotherRecord("twice");

        commit();

        // A task's only call, say: not kept in memory after its commit.
        assertThat(readForAnotherRecord("once")).isEqualTo("1").isNotSameAs(once);
        assertThat(readForAnotherRecord("twice")).isSameAs(twice);
    }

    @Test
    void shouldKeepAValueReadFromTheStoreForTheSecondTime() {
        // As the task processors do: read, change, put back.
        store.put("a", "1");
        commit();
        String first = readForAnotherRecord("a"); // from the store, remembered by the doorkeeper only
        store.put("a", first);
        commit();
        String second = readForAnotherRecord("a"); // from the store again: kept from now on
        store.put("a", second);
        commit();

        assertThat(second).isEqualTo("1").isNotSameAs(first);
        assertThat(readForAnotherRecord("a")).isSameAs(second);
    }

    @Test
    void shouldAnswerAKeyReadAsMissingOrDeletedWithWhatWasPutAfterwards() throws Exception {
        assertThat(store.get("x")).isNull();
        store.put("x", "1");
        assertThat(store.get("x")).isEqualTo("1");
        commit();

        store.delete("x");
        assertThat(store.get("x")).isNull();
        commit();
        assertThat(store.get("x")).isNull();
        store.put("x", "2");
        store.put("y", "3");

        assertThat(store.get("x")).isEqualTo("2");
        commit();
        assertThat(fromAnotherThread(() -> store.get("x"))).isEqualTo("2");
    }

    @Test
    void shouldKeepEveryPendingChangeWhenMoreKeysAreReadThanItKeeps() throws Exception {
        for (int i = 0; i < 10; i++) {
            store.put("old-" + i, "o" + i);
            commit();
        }
        for (int i = 0; i < MAX_ENTRIES - 1; i++) {
            store.put("changed-" + i, "v" + i);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(store.get("old-" + i)).isEqualTo("o" + i); // each read value is cached, evicting others
        }
        for (int i = 0; i < MAX_ENTRIES - 1; i++) {
            assertThat(store.get("changed-" + i)).isEqualTo("v" + i);
        }
        assertThat(fromAnotherThread(() -> store.get("changed-0"))).isNull();

        commit();

        for (int i = 0; i < MAX_ENTRIES - 1; i++) {
            int n = i;
            assertThat(fromAnotherThread(() -> store.get("changed-" + n))).isEqualTo("v" + i);
        }
    }

    @Test
    void shouldWriteBackAllPendingChangesInKeyOrder() {
        List<String> written = new ArrayList<>();
        KeyValueStore<String, String> ordered = recordingStore(written, 100);
        try {
            for (String key : List.of("task-7", "task-2", "task-9", "task-10", "task-1")) {
                ordered.put(key, "v");
            }
            ordered.delete("task-3");
            ((org.apache.kafka.streams.state.internals.CachedStateStore<?, ?>) ordered).flushCache();

            assertThat(written).containsExactly("task-1", "task-10", "task-2", "task-3", "task-7", "task-9");
            assertThat(ordered.get("task-3")).isNull();
            assertThat(ordered.get("task-9")).isEqualTo("v");
        } finally {
            ordered.close();
        }
    }

    @Test
    void shouldWriteBackEveryChangeOnceInTheOrderOfTheBytesAfterTheSharedPrefix() {
        List<String> written = new ArrayList<>();
        KeyValueStore<String, String> ordered = recordingStore(written, 5_000);
        try {
            java.util.Random random = new java.util.Random(7);
            java.util.Set<String> keys = new java.util.HashSet<>();
            while (keys.size() < 2_000) {
                keys.add("task-" + Long.toHexString(random.nextLong()) + (random.nextBoolean() ? "-\u00e9" : ""));
            }
            keys.forEach(key -> ordered.put(key, "v"));
            ((org.apache.kafka.streams.state.internals.CachedStateStore<?, ?>) ordered).flushCache();

            assertThat(written).hasSize(keys.size()).containsExactlyInAnyOrderElementsOf(keys);
            for (int i = 1; i < written.size(); i++) {
                String before = written.get(i - 1).substring(5, Math.min(10, written.get(i - 1).length()));
                String after = written.get(i).substring(5, Math.min(10, written.get(i).length()));
                assertThat(before.compareTo(after)).as("%s before %s", written.get(i - 1), written.get(i)).isLessThanOrEqualTo(0);
            }
        } finally {
            ordered.close();
        }
    }

    @Test
    void shouldWriteBackManyChangesInBoundedBatchesInKeyOrder() {
        List<String> written = new ArrayList<>();
        List<Integer> batches = new ArrayList<>();
        KeyValueStore<String, String> store = recordingStore(written, batches, 5_000);
        try {
            int changes = 3 * WriteBackStore.WRITE_BATCH_ENTRIES + 7;
            for (int i = changes - 1; i >= 0; i--) {
                store.put(String.format("task-%05d", i), "v" + i);
            }
            ((org.apache.kafka.streams.state.internals.CachedStateStore<?, ?>) store).flushCache();

            assertThat(batches).containsExactly(WriteBackStore.WRITE_BATCH_ENTRIES, WriteBackStore.WRITE_BATCH_ENTRIES,
                    WriteBackStore.WRITE_BATCH_ENTRIES, 7);
            assertThat(written).hasSize(changes).isSorted();
            assertThat(store.get("task-00000")).isEqualTo("v0");
        } finally {
            store.close();
        }
    }

    private static KeyValueStore<String, String> recordingStore(List<String> written, int maxEntries) {
        return recordingStore(written, new ArrayList<>(), maxEntries);
    }

    private static KeyValueStore<String, String> recordingStore(List<String> written, List<Integer> batches, int maxEntries) {
        KeyValueBytesStoreSupplier recording = new KeyValueBytesStoreSupplier() {
            private final KeyValueBytesStoreSupplier memory = Stores.inMemoryKeyValueStore("ordered");

            @Override
            public String name() {
                return memory.name();
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new InMemoryKeyValueStoreDelegate(memory.get(), written, batches);
            }

            @Override
            public String metricsScope() {
                return memory.metricsScope();
            }
        };
        KeyValueStore<String, String> store = WriteBackStore.over(Stores.keyValueStoreBuilder(recording, Serdes.String(),
                Serdes.String()).withLoggingDisabled(), maxEntries).build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }

    /** An in-memory store that records the keys written to it, in the order given, and each batch's size. */
    private static final class InMemoryKeyValueStoreDelegate extends org.apache.kafka.streams.state.internals.WrappedStateStore<
            KeyValueStore<Bytes, byte[]>, Bytes, byte[]> implements KeyValueStore<Bytes, byte[]> {
        private final List<String> written;
        private final List<Integer> batches;

        InMemoryKeyValueStoreDelegate(KeyValueStore<Bytes, byte[]> inner, List<String> written, List<Integer> batches) {
            super(inner);
            this.written = written;
            this.batches = batches;
        }

        @Override
        public void put(Bytes key, byte[] value) {
            written.add(new String(key.get(), java.nio.charset.StandardCharsets.UTF_8));
            wrapped().put(key, value);
        }

        @Override
        public byte[] putIfAbsent(Bytes key, byte[] value) {
            return wrapped().putIfAbsent(key, value);
        }

        @Override
        public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
            batches.add(entries.size());
            entries.forEach(entry -> put(entry.key, entry.value));
        }

        @Override
        public byte[] delete(Bytes key) {
            return wrapped().delete(key);
        }

        @Override
        public byte[] get(Bytes key) {
            return wrapped().get(key);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            return wrapped().range(from, to);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> all() {
            return wrapped().all();
        }

        @Override
        public long approximateNumEntries() {
            return wrapped().approximateNumEntries();
        }
    }
}
