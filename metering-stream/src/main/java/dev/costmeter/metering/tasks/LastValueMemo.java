package dev.costmeter.metering.tasks;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * A key-value store layer that remembers the last value read or written, as an object, and
 * answers the next read of the same key with it. Task totals are read twice per call (by
 * deduplication, then by the task totals processor, one after the other for the same task); the
 * second read then costs neither a cache lookup nor a deserialization.
 *
 * <p>Only the thread that writes (the stream thread processing the task) uses the remembered
 * value; reads from other threads (interactive queries) go to the store. Whoever changes a value it
 * read must {@code put} it, as with any store; a failed task closes its stores, which forgets the
 * value.
 */
public final class LastValueMemo<K, V> implements KeyValueStore<K, V> {

    private final KeyValueStore<K, V> inner;
    private Thread writer;
    private K lastKey;
    private V lastValue;

    private LastValueMemo(KeyValueStore<K, V> inner) {
        this.inner = inner;
    }

    /** Wraps what {@code builder} builds. */
    public static <K, V> StoreBuilder<KeyValueStore<K, V>> over(StoreBuilder<KeyValueStore<K, V>> builder) {
        return new Builder<>(builder);
    }

    @Override
    public V get(K key) {
        boolean processing = Thread.currentThread() == writer;
        if (processing && lastKey != null && lastKey.equals(key)) {
            return lastValue;
        }
        V value = inner.get(key);
        if (processing) {
            remember(key, value);
        }
        return value;
    }

    @Override
    public void put(K key, V value) {
        inner.put(key, value);
        writer = Thread.currentThread();
        remember(key, value);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        forget();
        return inner.putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        forget();
        inner.putAll(entries);
    }

    @Override
    public V delete(K key) {
        forget();
        return inner.delete(key);
    }

    private void remember(K key, V value) {
        lastKey = value == null ? null : key;
        lastValue = value;
    }

    private void forget() {
        writer = Thread.currentThread();
        remember(null, null);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        return inner.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return inner.all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return inner.reverseAll();
    }

    @Override
    public <PS extends org.apache.kafka.common.serialization.Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix,
            PS prefixKeySerializer) {
        return inner.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        forget();
        writer = null;
        inner.init(context, root);
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public void close() {
        forget();
        writer = null;
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return inner.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }

    private record Builder<K, V>(StoreBuilder<KeyValueStore<K, V>> inner) implements StoreBuilder<KeyValueStore<K, V>> {

        Builder {
            Objects.requireNonNull(inner, "inner");
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
            return new Builder<>(inner.withCachingEnabled());
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
            return new Builder<>(inner.withCachingDisabled());
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(Map<String, String> config) {
            return new Builder<>(inner.withLoggingEnabled(config));
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
            return new Builder<>(inner.withLoggingDisabled());
        }

        @Override
        public KeyValueStore<K, V> build() {
            return new LastValueMemo<>(inner.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
