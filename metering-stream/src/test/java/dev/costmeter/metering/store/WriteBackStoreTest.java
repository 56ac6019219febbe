package dev.costmeter.metering.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
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
}
