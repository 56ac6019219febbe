package dev.costmeter.metering.store;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.BatchWritingStore;
import org.apache.kafka.streams.state.internals.StoreQueryUtils;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Applies batch writes ({@code putAll}) to a RocksDB store on a background thread, so that the
 * stream thread goes on processing while RocksDB adds them to its memtables. It sits below Kafka
 * Streams' change-logging layer: the changelog records are still sent by the stream thread, before
 * the commit that carries them, exactly as without it; only the local copy of the state is written
 * a little later.
 *
 * <p>Why: metering writes back every task whose totals changed in a commit interval in batches
 * ({@link WriteBackStore}), and RocksDB's memtable insert of those batches (a skip-list search per
 * key, and the kernel's page faults as the memtable's arena grows) took 9% of the stream thread at
 * one-call tasks (async-profiler, docs/benchmarks.md) while about half a core of the machine sat
 * idle. The stream thread is metering's bottleneck; this moves that work to a core that has room.
 *
 * <p>What stays true:
 * <ul>
 *   <li>the stream thread reads its own writes: until a batch is applied, its keys are answered from
 *       the batch (a map from key to pending value, kept by the stream thread alone);</li>
 *   <li>batches are applied in the order they were given, one store's never two at a time;</li>
 *   <li>everything pending is applied before the store iterates for the stream thread, flushes,
 *       commits its changelog offsets (Kafka Streams writes them after the data they cover) or
 *       closes, so the store never claims an offset whose data it does not hold;</li>
 *   <li>a failed background write fails the stream thread's next call on this store (a
 *       {@link ProcessorStateException}, as a failed write there would), and nothing is applied after
 *       it. Under exactly-once the task's state is then rebuilt from its changelog.</li>
 * </ul>
 * Reads from other threads (interactive queries) go to RocksDB and see a batch once it is applied,
 * at most one commit interval and the batch's write later than the stream thread.
 *
 * <p>Only stores that write through RocksDB batches ({@link BatchWritingStore}, Kafka's RocksDB
 * store) are written in the background; any other store is written as before. Single writes
 * ({@code put}, {@code delete}) apply what is pending first and then write at once.
 */
public final class BackgroundWriteStore extends ForwardingKeyValueStore<Bytes, byte[]> {

    /**
     * Entries pending before the stream thread waits for the writer: with millions of one-call tasks
     * a commit writes back up to {@code task.cache.entries} (30,000 by default) per partition.
     */
    static final int MAX_PENDING_ENTRIES = 200_000;

    private static final AtomicInteger WRITER_NUMBER = new AtomicInteger();
    /**
     * The writer threads, shared by all such stores of the process (each store's batches are chained,
     * so they stay in order). As many as half the cores, at least one: on the 2-core build machine one
     * thread, next to the stream thread.
     */
    private static final ExecutorService WRITERS = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2), runnable -> {
                Thread thread = new Thread(runnable, "costmeter-store-writer-" + WRITER_NUMBER.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });

    private final BatchWritingStore batches;
    private final Executor writers;
    private StateStoreContext context;
    private Thread writer;
    /** The last batch given to the writer threads; each next one is chained to it. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    /** The stream thread's pending values by key: the newest batch's entry for each key not yet applied. */
    private final Map<Bytes, KeyValue<Bytes, byte[]>> pending = new HashMap<>();
    /** The batches given to the writer and not yet reclaimed from {@link #pending}, oldest first. */
    private final ArrayDeque<Batch> given = new ArrayDeque<>();
    private int pendingEntries;
    private long nextSequence;
    /** The sequence number of the last batch applied, set by the writer thread. */
    private final AtomicLong applied = new AtomicLong(-1);
    private volatile Throwable failure;

    private record Batch(long sequence, List<KeyValue<Bytes, byte[]>> entries) {
    }

    /** @param writers where batches are applied (tests pass one they run by hand) */
    BackgroundWriteStore(KeyValueStore<Bytes, byte[]> inner, Executor writers) {
        super(inner);
        this.batches = inner instanceof BatchWritingStore b ? b : null;
        this.writers = writers;
    }

    /** {@code supplier}'s stores, written in the background when they are RocksDB stores. */
    public static KeyValueBytesStoreSupplier over(KeyValueBytesStoreSupplier supplier) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return supplier.name();
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new BackgroundWriteStore(supplier.get(), WRITERS);
            }

            @Override
            public String metricsScope() {
                return supplier.metricsScope();
            }
        };
    }

    private boolean onWriter() {
        return Thread.currentThread() == writer;
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        if (batches == null) {
            inner.putAll(entries);
            return;
        }
        writer = Thread.currentThread();
        checkFailure();
        if (entries.isEmpty()) {
            return;
        }
        reclaim();
        if (pendingEntries + entries.size() > MAX_PENDING_ENTRIES) {
            drain();
        }
        // The caller (Kafka's logging layer) reads the list again to log it, and never changes it.
        Batch batch = new Batch(nextSequence++, entries);
        for (KeyValue<Bytes, byte[]> entry : entries) {
            pending.put(entry.key, entry);
        }
        pendingEntries += entries.size();
        given.addLast(batch);
        // The store's position for interactive queries, as RocksDB's own putAll keeps it.
        Position position = inner.getPosition();
        synchronized (position) {
            StoreQueryUtils.updatePosition(position, context);
        }
        tail = tail.thenRunAsync(() -> write(batch), writers);
    }

    /** On a writer thread: one RocksDB write batch, as Kafka's RocksDB store writes it. */
    private void write(Batch batch) {
        try (WriteBatch rocksBatch = new WriteBatch()) {
            for (KeyValue<Bytes, byte[]> entry : batch.entries()) {
                batches.addToBatch(KeyValue.pair(entry.key.get(), entry.value), rocksBatch);
            }
            batches.write(rocksBatch);
            applied.set(batch.sequence());
        } catch (RocksDBException | RuntimeException e) {
            failure = e;
            throw new CompletionException(e);
        }
    }

    /** Forgets the pending values of batches the writer has applied. */
    private void reclaim() {
        long done = applied.get();
        while (!given.isEmpty() && given.peekFirst().sequence() <= done) {
            Batch batch = given.pollFirst();
            for (KeyValue<Bytes, byte[]> entry : batch.entries()) {
                // Only if no later batch wrote the key since (that batch's entry is kept): compared by
                // identity, since two deletes of a key are equal entries.
                if (pending.get(entry.key) == entry) {
                    pending.remove(entry.key);
                }
            }
            pendingEntries -= batch.entries().size();
        }
    }

    /** Waits until every batch given is applied; throws if one failed. */
    private void drain() {
        try {
            tail.join();
        } catch (CompletionException e) {
            // The failure is reported below.
        }
        checkFailure();
        reclaim();
    }

    private void checkFailure() {
        Throwable cause = failure;
        if (cause != null) {
            throw new ProcessorStateException("A background write to store " + name() + " failed", cause);
        }
    }

    @Override
    public byte[] get(Bytes key) {
        if (onWriter() && !given.isEmpty()) {
            checkFailure();
            reclaim();
            KeyValue<Bytes, byte[]> entry = pending.get(key);
            if (entry != null) {
                return entry.value;
            }
        }
        return inner.get(key);
    }

    @Override
    public void put(Bytes key, byte[] value) {
        settle();
        inner.put(key, value);
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        settle();
        return inner.putIfAbsent(key, value);
    }

    @Override
    public byte[] delete(Bytes key) {
        settle();
        return inner.delete(key);
    }

    /** On the stream thread, applies what is pending; any other thread reads RocksDB as it is. */
    private void settle() {
        if (onWriter() && !given.isEmpty()) {
            drain();
        }
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        settle();
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        settle();
        return inner.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        settle();
        return inner.all();
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        settle();
        return inner.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        settle();
        return inner.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        this.context = context;
        forget();
        inner.init(context, root);
    }

    @Override
    public void flush() {
        drainAll();
        inner.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        // The offsets are written after the data they cover.
        drainAll();
        inner.commit(changelogOffsets);
    }

    /** Applies what is pending, from whichever thread Kafka Streams flushes, commits or closes on. */
    private void drainAll() {
        if (!given.isEmpty()) {
            drain();
        }
    }

    @Override
    public void close() {
        // RocksDB must not be closed under a write; a failed write was reported to the stream thread
        // already, and the store is closed all the same.
        try {
            tail.join();
        } catch (CompletionException e) {
            // Reported by checkFailure on the stream thread's next call, or dropped with the task.
        }
        forget();
        inner.close();
    }

    private void forget() {
        tail = CompletableFuture.completedFuture(null);
        pending.clear();
        given.clear();
        pendingEntries = 0;
        applied.set(nextSequence - 1);
        failure = null;
        writer = null;
    }
}
