package dev.costmeter.runtime.rocksdb;

import dev.costmeter.runtime.config.StreamsDefaults;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the off-heap memory of ALL RocksDB stores of the process together, as in the Kafka
 * Streams guide "Bounding RocksDB memory": one {@link LRUCache} serves as every store's block
 * cache, and one {@link WriteBufferManager} charges every memtable to that same cache. Index and
 * filter blocks live in the cache's high-priority pool so that data blocks are evicted first.
 *
 * <p>Sizes come from the Streams configs (pass them in the app config; {@link StreamsDefaults}
 * forwards {@code rocksdb.*} keys):
 * <ul>
 *   <li>{@value #TOTAL_MEMORY_CONFIG}: cache capacity, memtables included; default 128 MiB;</li>
 *   <li>{@value #MEMTABLE_SHARE_CONFIG}: the part of it memtables may take (the write buffer
 *       manager's budget), in (0, 1]; default 0.5;</li>
 *   <li>{@value #MAX_WRITE_BUFFERS_CONFIG}: memtables per store; default 3;</li>
 *   <li>{@value #HIGH_PRIORITY_RATIO_CONFIG}: share of the cache reserved for index and filter
 *       blocks, in [0, 1); default 0.1.</li>
 * </ul>
 * The shared objects are created on first use and live as long as the JVM: the first store
 * opened fixes the sizes for the process; a later store asking for other sizes is logged and
 * gets the shared ones. They are never closed per store, since every store uses them.
 */
public class BoundedMemoryRocksDBConfig implements RocksDBConfigSetter {

    /** Total bytes for block cache and memtables of all stores of the process. */
    public static final String TOTAL_MEMORY_CONFIG = "rocksdb.total.memory.bytes";
    /** Share of {@value #TOTAL_MEMORY_CONFIG} that memtables may use. */
    public static final String MEMTABLE_SHARE_CONFIG = "rocksdb.memtable.share";
    /** Memtables per store before a flush is forced. */
    public static final String MAX_WRITE_BUFFERS_CONFIG = "rocksdb.max.write.buffers";
    /** Share of the cache kept for index and filter blocks. */
    public static final String HIGH_PRIORITY_RATIO_CONFIG = "rocksdb.high.priority.pool.ratio";

    static final long DEFAULT_TOTAL_MEMORY_BYTES = 128L * 1024 * 1024;
    static final double DEFAULT_MEMTABLE_SHARE = 0.5;
    static final int DEFAULT_MAX_WRITE_BUFFERS = 3;
    static final double DEFAULT_HIGH_PRIORITY_RATIO = 0.1;
    /** Share of each memtable's memory given to its whole-key bloom filter (RocksDB's suggested 0.1 or less). */
    static final double MEMTABLE_BLOOM_RATIO = 0.05;
    /** Keys per bucket of each data block's hash index (RocksDB's default and suggested value). */
    static final double DATA_BLOCK_HASH_UTIL_RATIO = 0.75;

    private static final Logger log = LoggerFactory.getLogger(BoundedMemoryRocksDBConfig.class);

    private static Shared shared;
    private static boolean mismatchLogged;

    /** The process-wide cache and write buffer manager, and the sizes they were made with. */
    record Shared(Sizes sizes, Cache cache, WriteBufferManager writeBufferManager) {
    }

    /** The sizes read from the configs. */
    record Sizes(long totalBytes, double memtableShare, int maxWriteBuffers, double highPriorityRatio) {

        long memtableBytes() {
            return (long) (totalBytes * memtableShare);
        }

        static Sizes from(Map<String, ?> configs) {
            long total = longConfig(configs, TOTAL_MEMORY_CONFIG, DEFAULT_TOTAL_MEMORY_BYTES);
            double share = doubleConfig(configs, MEMTABLE_SHARE_CONFIG, DEFAULT_MEMTABLE_SHARE);
            long buffers = longConfig(configs, MAX_WRITE_BUFFERS_CONFIG, DEFAULT_MAX_WRITE_BUFFERS);
            double ratio = doubleConfig(configs, HIGH_PRIORITY_RATIO_CONFIG, DEFAULT_HIGH_PRIORITY_RATIO);
            if (total <= 0) {
                throw new ConfigException(TOTAL_MEMORY_CONFIG, total, "must be positive");
            }
            if (!(share > 0 && share <= 1)) {
                throw new ConfigException(MEMTABLE_SHARE_CONFIG, share, "must be in (0, 1]");
            }
            if (buffers < 1 || buffers > Integer.MAX_VALUE) {
                throw new ConfigException(MAX_WRITE_BUFFERS_CONFIG, buffers, "must be at least 1");
            }
            if (!(ratio >= 0 && ratio < 1)) {
                throw new ConfigException(HIGH_PRIORITY_RATIO_CONFIG, ratio, "must be in [0, 1)");
            }
            return new Sizes(total, share, (int) buffers, ratio);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Shared s = shared(Sizes.from(configs));
        BlockBasedTableConfig tableConfig = (BlockBasedTableConfig) options.tableFormatConfig();
        tableConfig.setBlockCache(s.cache());
        tableConfig.setCacheIndexAndFilterBlocks(true);
        tableConfig.setCacheIndexAndFilterBlocksWithHighPriority(true);
        tableConfig.setPinTopLevelIndexAndFilter(true);
        // Point lookups of keys that are there (a task's next call, after its totals were written back)
        // read through every level-0 file's filter and index first, and then a data block. Pinned, the
        // level-0 files' filter and index blocks are found without a block cache lookup (a hash and a
        // mutex each); a hash index inside each data block finds the key without a binary search over
        // the block's restart points. Measured with async-profiler (CPU, perf events) at 2,000,000 mostly
        // one-call tasks (issue #19, docs/benchmarks.md):
        // RocksDB's own Get time fell by a tenth, its table lookups by a fifth. The pinned blocks stay
        // charged to the shared cache; the hash index adds about one byte per key to each data block.
        tableConfig.setPinL0FilterAndIndexBlocksInCache(true);
        tableConfig.setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash);
        tableConfig.setDataBlockHashTableUtilRatio(DATA_BLOCK_HASH_UTIL_RATIO);
        options.setWriteBufferManager(s.writeBufferManager());
        options.setMaxWriteBufferNumber(s.sizes().maxWriteBuffers());
        // Point lookups of keys that are not there are the common case (a new task's first call, an
        // event id never seen): Kafka Streams turns on optimize_filters_for_hits, which leaves the
        // largest level, most of the data, without bloom filters, so each such miss read index and
        // data blocks. Filters on every level, and a whole-key bloom filter on the memtables, make a
        // miss a few hash probes (measured with perf on the 2,000,000-task benchmark shape, issue #19).
        options.setOptimizeFiltersForHits(false);
        options.setMemtableWholeKeyFiltering(true);
        options.setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM_RATIO);
        options.setTableFormatConfig(tableConfig);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store: never closed here.
    }

    /** The shared objects, made with {@code requested} sizes the first time. */
    static synchronized Shared shared(Sizes requested) {
        if (shared == null) {
            Cache cache = new LRUCache(requested.totalBytes(), -1, false, requested.highPriorityRatio());
            WriteBufferManager manager = new WriteBufferManager(requested.memtableBytes(), cache);
            shared = new Shared(requested, cache, manager);
            log.info("RocksDB memory bounded for all stores of this process: {} bytes in total, "
                    + "{} of it for memtables, {} memtables per store",
                    requested.totalBytes(), requested.memtableBytes(), requested.maxWriteBuffers());
        } else if (!shared.sizes().equals(requested) && !mismatchLogged) {
            mismatchLogged = true;
            log.warn("RocksDB memory sizes {} ignored: this process already bounds all stores with {}",
                    requested, shared.sizes());
        }
        return shared;
    }

    private static long longConfig(Map<String, ?> configs, String key, long defaultValue) {
        Object value = configs.get(key);
        if (value == null || value.toString().isBlank()) {
            return defaultValue;
        }
        try {
            return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "not an integer");
        }
    }

    private static double doubleConfig(Map<String, ?> configs, String key, double defaultValue) {
        Object value = configs.get(key);
        if (value == null || value.toString().isBlank()) {
            return defaultValue;
        }
        try {
            return value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "not a number");
        }
    }
}
