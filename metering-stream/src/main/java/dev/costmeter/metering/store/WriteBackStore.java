package dev.costmeter.metering.store;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
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
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A write-back cache of objects in front of a logged key-value store, in place of Kafka Streams'
 * record cache for the stores metering reads and writes on every call (task totals, the rollup
 * buffer). Kafka's cache keeps serialized bytes in a sorted map, so every read deserializes and
 * every write serializes and re-sorts; this one keeps the objects in hash maps and serializes each
 * changed value once, when it is written back.
 *
 * <p>Changed values are written back to the store, and so to its changelog, when Kafka Streams
 * flushes caches before it commits (this class is a {@link CachedStateStore}, the internal
 * interface through which Streams does that for its own caching layer; a test guards the
 * behaviour), and whenever {@code maxEntries} changes are pending. Under exactly-once every commit
 * therefore carries the state changes of the records it commits, as with Kafka's cache. Up to
 * {@code maxEntries} unchanged values are also kept for reads (evicted by second chance, close to least recently used first out).
 *
 * <p>Only the stream thread that writes uses the cache; reads from other threads (interactive
 * queries) go to the store and see values as of the last write-back, at most one commit interval
 * old. Iterating from the stream thread writes back first. Whoever changes a value it read must
 * {@code put} it, as with any store.
 */
public final class WriteBackStore<K, V> implements KeyValueStore<K, V>, CachedStateStore<K, V> {

    private final KeyValueStore<K, V> inner;
    private final int maxEntries;
    /** Changed since the last write-back; a null value is a pending delete. */
    private final Map<K, V> dirty = new HashMap<>();
    /**
     * Values kept for reads, in insertion order, evicted by "second chance" (CLOCK): a read marks its
     * entry, and eviction moves a marked eldest entry to the back instead of dropping it. That is
     * close to least-recently-used without LRU's relinking on every read, which writes references
     * into long-lived entries and so costs the garbage collector card marking and refinement work.
     */
    private final LinkedHashMap<K, Clean<V>> clean = new LinkedHashMap<>();
    private Thread writer;
    /**
     * The key last read or written by the writer, its value and whether that value is pending: the
     * processors of one call read and write the same key one after the other, so most lookups end here.
     */
    private K lastKey;
    private V lastValue;
    private boolean lastDirty;

    /** A cached value and whether it was read since eviction last passed it. */
    private static final class Clean<V> {
        private final V value;
        private boolean referenced;

        private Clean(V value) {
            this.value = value;
        }
    }

    private WriteBackStore(KeyValueStore<K, V> inner, int maxEntries) {
        this.inner = inner;
        this.maxEntries = maxEntries;
    }

    /**
     * Puts this cache in front of what {@code builder} builds, with Kafka's record cache turned off.
     *
     * @param maxEntries changes written back once this many are pending; unchanged values kept for reads
     */
    public static <K, V> StoreBuilder<KeyValueStore<K, V>> over(StoreBuilder<KeyValueStore<K, V>> builder, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, not " + maxEntries);
        }
        return new Builder<>(builder.withCachingDisabled(), maxEntries);
    }

    private boolean onWriter() {
        return Thread.currentThread() == writer;
    }

    @Override
    public V get(K key) {
        if (!onWriter()) {
            return inner.get(key);
        }
        if (isLast(key)) {
            return lastValue;
        }
        V value = dirty.get(key);
        boolean isDirty = value != null || dirty.containsKey(key);
        if (!isDirty) {
            Clean<V> cached = clean.get(key);
            if (cached != null) {
                cached.referenced = true;
                value = cached.value;
            } else {
                value = inner.get(key);
                if (value != null) {
                    keep(key, value);
                }
            }
        }
        remember(key, value, isDirty);
        return value;
    }

    private boolean isLast(K key) {
        return lastKey != null && (lastKey == key || lastKey.equals(key));
    }

    private void remember(K key, V value, boolean isDirty) {
        lastKey = key;
        lastValue = value;
        lastDirty = isDirty;
    }

    private void keep(K key, V value) {
        Clean<V> cached = clean.get(key);
        if (cached == null || cached.value != value) {
            clean.put(key, new Clean<>(value));
        }
        while (clean.size() > maxEntries) {
            Iterator<Map.Entry<K, Clean<V>>> eldest = clean.entrySet().iterator();
            Map.Entry<K, Clean<V>> entry = eldest.next();
            eldest.remove();
            if (entry.getValue().referenced) {
                entry.getValue().referenced = false;
                clean.put(entry.getKey(), entry.getValue());
            }
        }
    }

    @Override
    public void put(K key, V value) {
        writer = Thread.currentThread();
        // A stale copy may stay in clean: reads look in dirty first, and write-back replaces it.
        // The same object put again (changed in place) is already pending: nothing to store.
        boolean pending = value != null && (isLast(key) && lastDirty ? lastValue == value : dirty.get(key) == value);
        if (!pending) {
            dirty.put(key, value);
        }
        remember(key, value, true);
        if (dirty.size() >= maxEntries) {
            writeBack();
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        writer = Thread.currentThread();
        V existing = get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public V delete(K key) {
        writer = Thread.currentThread();
        V existing = get(key);
        put(key, null);
        return existing;
    }

    /** Writes every pending change to the store (and so to its changelog). */
    private void writeBack() {
        for (Map.Entry<K, V> change : dirty.entrySet()) {
            // A null value deletes, without the read of the old value that delete() costs.
            inner.put(change.getKey(), change.getValue());
            if (change.getValue() != null) {
                keep(change.getKey(), change.getValue());
            } else {
                clean.remove(change.getKey());
            }
        }
        dirty.clear();
        lastDirty = false;
    }

    @Override
    public void flushCache() {
        writeBack();
        if (inner instanceof CachedStateStore<?, ?> cached) {
            cached.flushCache();
        }
    }

    @Override
    public void clearCache() {
        dirty.clear();
        clean.clear();
        remember(null, null, false);
        if (inner instanceof CachedStateStore<?, ?> cached) {
            cached.clearCache();
        }
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<K, V> listener, boolean sendOldValues) {
        return false;
    }

    private <T> T iterating(java.util.function.Supplier<T> iterator) {
        if (onWriter()) {
            writeBack();
        }
        return iterator.get();
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return iterating(() -> inner.range(from, to));
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        return iterating(() -> inner.reverseRange(from, to));
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return iterating(inner::all);
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return iterating(inner::reverseAll);
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        return iterating(() -> inner.prefixScan(prefix, prefixKeySerializer));
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
        forgetAll();
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
        // A clean close flushed the cache before committing; after a failure the changes are dropped
        // with the transaction they belonged to.
        forgetAll();
        inner.close();
    }

    private void forgetAll() {
        dirty.clear();
        clean.clear();
        writer = null;
        remember(null, null, false);
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

    /** The builder: this cache replaces Kafka's record cache, so caching cannot be turned back on. */
    private record Builder<K, V>(StoreBuilder<KeyValueStore<K, V>> inner, int maxEntries)
            implements StoreBuilder<KeyValueStore<K, V>> {

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(Map<String, String> config) {
            return new Builder<>(inner.withLoggingEnabled(config), maxEntries);
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
            return new Builder<>(inner.withLoggingDisabled(), maxEntries);
        }

        @Override
        public KeyValueStore<K, V> build() {
            return new WriteBackStore<>(inner.build(), maxEntries);
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
