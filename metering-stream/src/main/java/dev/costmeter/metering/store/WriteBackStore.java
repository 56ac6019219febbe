package dev.costmeter.metering.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A write-back cache of objects in front of a logged key-value store, in place of Kafka Streams'
 * record cache for the stores metering reads and writes on every call (task totals, the rollup
 * buffer). Kafka's cache keeps serialized bytes in a sorted map, so every read deserializes and
 * every write serializes and re-sorts; this one keeps the objects in a hash map and serializes each
 * changed value once, when it is written back.
 *
 * <p>Changed values are written back to the store, and so to its changelog, when Kafka Streams
 * flushes caches before it commits (this class is a {@link CachedStateStore}, the internal
 * interface through which Streams does that for its own caching layer; a test guards the
 * behaviour), and whenever {@code maxEntries} changes are pending. Under exactly-once every commit
 * therefore carries the state changes of the records it commits, as with Kafka's cache. Up to
 * {@code maxEntries} values, changed or not, are kept for reads (unchanged ones evicted by second
 * chance, close to least recently used first out), but only values in use: a value stays cached
 * beyond its next write-back only once it was read for a second record while cached, or read from
 * the store twice within a while (a two-probe Bloom filter, the "doorkeeper" of TinyLFU, remembers
 * the keys read lately). With millions of tasks of one or two calls, keeping every task read or
 * written filled the cache with objects never read again, each living long enough for the garbage
 * collector to copy it between survivor spaces and promote it. Measured at 2,000,000 mostly
 * one-call tasks (docs/benchmarks.md): keeping every value, young pauses of ~120 ms took 9% of the
 * run; keeping every value once read, 140,000 task totals were still held mid-run; with this
 * policy 62,000, most of them changes waiting for the next commit, and the collector's threads
 * used 6% of a core instead of 10%. A task of many calls is read from the store twice more than it
 * would be otherwise, then stays cached.
 *
 * <p>Only the stream thread that writes uses the cache; reads from other threads (interactive
 * queries) go to the store and see values as of the last write-back, at most one commit interval
 * old. Iterating from the stream thread writes back first. Whoever changes a value it read must
 * {@code put} it, as with any store.
 */
public final class WriteBackStore<K, V> extends ForwardingKeyValueStore<K, V> implements CachedStateStore<K, V> {

    /** Key bytes a write-back sorts by (see batchInKeyOrder), and the bits left for an entry's index. */
    private static final int SORT_BYTES = 5;
    private static final int INDEX_BITS = 64 - 8 * SORT_BYTES;
    private static final int INDEX_MASK = (1 << INDEX_BITS) - 1;
    /**
     * Changes written to the store in one batch (see writeBack): about 256 KB of RocksDB write batch
     * at the default shape's task totals of ~1 KB, within a core's L2 cache.
     */
    static final int WRITE_BATCH_ENTRIES = 256;

    private final int maxEntries;
    /**
     * The cached values, changed or not, in insertion order. Unchanged ones are evicted by "second
     * chance" (CLOCK): a read marks its entry, and eviction moves a marked or changed eldest entry
     * to the back instead of dropping it. That is close to least-recently-used without LRU's
     * relinking on every read, which writes references into long-lived entries and so costs the
     * garbage collector card marking and refinement work.
     */
    private final LinkedHashMap<K, Entry<K, V>> entries = new LinkedHashMap<>();
    /** The entries changed since the last write-back, in the order they were first changed. */
    private final List<Entry<K, V>> changed = new ArrayList<>();
    private Thread writer;
    /**
     * The key last read or written by the writer and its entry (null: not in the store): the
     * processors of one call read and write the same key one after the other, so most lookups end here.
     */
    private K lastKey;
    private Entry<K, V> lastEntry;
    /** The keys read from the store lately, for admission (see readBefore). */
    private final BitSet doorkeeper;
    private final int doorkeeperMask;
    private int doorkeeperReads;

    /**
     * A cached value (null: a pending delete), whether it is pending write-back, whether it was read
     * since the last eviction pass, and whether it is in use (admitted): an entry that is not is
     * dropped once written back (see {@link #writeBack()}).
     */
    private static final class Entry<K, V> {
        private final K key;
        private V value;
        private boolean dirty;
        private boolean referenced;
        private boolean admitted;

        private Entry(K key, V value) {
            this.key = key;
            this.value = value;
        }
    }

    private WriteBackStore(KeyValueStore<K, V> inner, int maxEntries) {
        super(inner);
        this.maxEntries = maxEntries;
        // 16 bits per key of the 2 * maxEntries it remembers, rounded up to a power of two.
        int bits = (int) Long.highestOneBit(Math.min(1L << 30, Math.max(64L, maxEntries * 32L)) * 2 - 1);
        this.doorkeeper = new BitSet(bits);
        this.doorkeeperMask = bits - 1;
    }

    /**
     * Puts this cache in front of what {@code builder} builds, with Kafka's record cache turned off.
     *
     * @param maxEntries changes written back once this many are pending; values kept for reads
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
        boolean last = isLast(key);
        Entry<K, V> entry = last ? lastEntry : entries.get(key);
        if (entry == null && !last) {
            V value = inner.get(key);
            if (value != null) {
                entry = new Entry<>(key, value);
                // Kept beyond its next write-back only if this key was read from the store recently
                // before (see readBefore): one more call of a task is no reason to keep it in memory.
                entry.admitted = readBefore(key);
                entries.put(key, entry);
                evict();
            }
        } else if (entry != null && !last) {
            // A hit of an entry cached by an earlier record: this key is in use, keep it. (The processors
            // of one record read the same key one after the other; those reads end at lastKey.)
            entry.admitted = true;
        }
        remember(key, entry);
        if (entry == null) {
            return null;
        }
        entry.referenced = true;
        return entry.value;
    }

    /**
     * Whether {@code key} was read from the store since the doorkeeper was last cleared, remembering
     * that it now was: a Bloom filter of two probes, cleared after {@code 2 * maxEntries} reads, so a
     * false "yes" (about 5% when full) only keeps a value cached that need not be.
     */
    private boolean readBefore(K key) {
        long hash = key.hashCode() * 0x9E3779B97F4A7C15L;
        int first = (int) (hash >>> 40) & doorkeeperMask;
        int second = (int) (hash >>> 16) & doorkeeperMask;
        boolean seen = doorkeeper.get(first) && doorkeeper.get(second);
        if (!seen) {
            if (++doorkeeperReads > 2 * maxEntries) {
                doorkeeper.clear();
                doorkeeperReads = 1;
            }
            doorkeeper.set(first);
            doorkeeper.set(second);
        }
        return seen;
    }

    private boolean isLast(K key) {
        return lastKey != null && (lastKey == key || lastKey.equals(key));
    }

    private void remember(K key, Entry<K, V> entry) {
        lastKey = key;
        lastEntry = entry;
    }

    /** Drops unchanged, unread entries, eldest first, while there are more than maxEntries. */
    private void evict() {
        while (entries.size() > maxEntries) {
            Iterator<Entry<K, V>> eldest = entries.values().iterator();
            Entry<K, V> entry = eldest.next();
            eldest.remove();
            if (entry.dirty || entry.referenced) {
                // Fewer than maxEntries are ever dirty (they are written back at that count), so this ends.
                entry.referenced = false;
                entries.put(entry.key, entry);
            } else if (entry == lastEntry) {
                remember(null, null);
            }
        }
    }

    @Override
    public void put(K key, V value) {
        writer = Thread.currentThread();
        Entry<K, V> entry = isLast(key) ? lastEntry : entries.get(key);
        if (entry == null) {
            entry = new Entry<>(key, value);
            entries.put(key, entry);
        } else {
            entry.value = value;
        }
        if (!entry.dirty) {
            entry.dirty = true;
            changed.add(entry);
        }
        remember(key, entry);
        if (changed.size() >= maxEntries) {
            writeBack();
        }
        evict();
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
        if (changed.isEmpty()) {
            return;
        }
        // In batches: a RocksDB store writes each in one native write (a null value deletes, without the
        // read of the old value that delete() costs); the changelog still gets one record per key.
        // In about key order: RocksDB adds a batch to its memtable, a skip list, key after key, and
        // finds the place of a key just after the one before in a few steps, where a key anywhere
        // takes a search from the top (perf, default shape of docs/benchmarks.md: that search took 4%
        // of the stream thread with keys in the order they changed). Batches of at most
        // WRITE_BATCH_ENTRIES: one batch of every change (megabytes at a commit) was built in memory
        // the allocator had just mapped, so the kernel zeroed it page by page, and was read back from
        // main memory into the memtable; a small batch reuses the same memory, still in the CPU's cache.
        List<KeyValue<K, V>> batch = batchInKeyOrder();
        for (int from = 0; from < batch.size(); from += WRITE_BATCH_ENTRIES) {
            inner.putAll(batch.subList(from, Math.min(batch.size(), from + WRITE_BATCH_ENTRIES)));
        }
        for (Entry<K, V> entry : changed) {
            entry.dirty = false;
            // Kept for reads only when in use: a value not admitted (a task's only call, a task read once
            // from the store) would otherwise stay until evicted, long enough for the garbage collector
            // to copy it between survivor spaces and promote it, only to die old.
            if (entry.value == null || !entry.admitted) {
                entries.remove(entry.key);
                if (entry == lastEntry) {
                    remember(null, null);
                }
            }
        }
        changed.clear();
    }

    /**
     * The changes in one list (written in batches), for a store with string keys in about the order
     * of their UTF-8 bytes, RocksDB's order, at the cost of a sort of primitives: each key is read
     * once, for the {@value #SORT_BYTES} bytes that follow the prefix all keys share, and those
     * bytes, with the change's index, are sorted as one {@code long}. Keys equal in those bytes
     * keep no particular order among themselves, and a non-ASCII character counts by its low byte:
     * either only costs RocksDB a longer search. (Sorting the entries by comparing their keys took
     * 18% of the stream thread at 2,000,000 one-call tasks, a key compared being a read from memory
     * the caches had lost.)
     */
    private List<KeyValue<K, V>> batchInKeyOrder() {
        int n = changed.size();
        List<KeyValue<K, V>> batch = new ArrayList<>(n);
        if (n < 2 || n > INDEX_MASK || !(changed.get(0).key instanceof String first)) {
            for (Entry<K, V> entry : changed) {
                batch.add(KeyValue.pair(entry.key, entry.value));
            }
            return batch;
        }
        int prefix = first.length();
        for (int i = 1; i < n && prefix > 0; i++) {
            String key = (String) changed.get(i).key;
            int limit = Math.min(prefix, key.length());
            int same = 0;
            while (same < limit && key.charAt(same) == first.charAt(same)) {
                same++;
            }
            prefix = same;
        }
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            String key = (String) changed.get(i).key;
            long bytes = 0;
            for (int j = prefix; j < prefix + SORT_BYTES; j++) {
                bytes = (bytes << 8) | (j < key.length() ? key.charAt(j) & 0xFF : 0);
            }
            // The top bit flipped, so that a signed sort orders the bytes as unsigned.
            packed[i] = ((bytes << INDEX_BITS) | i) ^ Long.MIN_VALUE;
        }
        Arrays.sort(packed);
        for (long p : packed) {
            Entry<K, V> entry = changed.get((int) (p & INDEX_MASK));
            batch.add(KeyValue.pair(entry.key, entry.value));
        }
        return batch;
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
        forgetChanges();
        if (inner instanceof CachedStateStore<?, ?> cached) {
            cached.clearCache();
        }
    }

    /** Drops every cached value, changed or not: processors may have changed cached objects in place. */
    private void forgetChanges() {
        entries.clear();
        changed.clear();
        remember(null, null);
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
    public void init(StateStoreContext context, StateStore root) {
        forgetAll();
        inner.init(context, root);
    }

    @Override
    public void close() {
        // A clean close flushed the cache before committing; after a failure the changes are dropped
        // with the transaction they belonged to.
        forgetAll();
        inner.close();
    }

    private void forgetAll() {
        forgetChanges();
        writer = null;
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
