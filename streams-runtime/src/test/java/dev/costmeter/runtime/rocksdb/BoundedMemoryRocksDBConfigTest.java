package dev.costmeter.runtime.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.Options;

class BoundedMemoryRocksDBConfigTest {

    /** Records the cache set on it: {@link BlockBasedTableConfig} has no getter for it. */
    private static final class RecordingTableConfig extends BlockBasedTableConfig {
        Cache cache;

        @Override
        public BlockBasedTableConfig setBlockCache(Cache cache) {
            this.cache = cache;
            return super.setBlockCache(cache);
        }
    }

    private static RecordingTableConfig configure(String store, Options options, Map<String, Object> configs) {
        RecordingTableConfig table = new RecordingTableConfig();
        options.setTableFormatConfig(table);
        new BoundedMemoryRocksDBConfig().setConfig(store, options, configs);
        return table;
    }

    @Test
    void shouldShareOneCacheAndWriteBufferManagerAcrossStores() {
        try (Options first = new Options(); Options second = new Options()) {
            RecordingTableConfig a = configure("rollups", first, new HashMap<>());
            RecordingTableConfig b = configure("dedup", second, new HashMap<>());

            BoundedMemoryRocksDBConfig.Shared shared = BoundedMemoryRocksDBConfig.shared(
                    BoundedMemoryRocksDBConfig.Sizes.from(Map.of()));
            assertThat(a.cache).isNotNull().isSameAs(b.cache).isSameAs(shared.cache());
            assertThat(first.writeBufferManager()).isNotNull()
                    .isSameAs(second.writeBufferManager()).isSameAs(shared.writeBufferManager());
            assertThat(first.tableFormatConfig()).isSameAs(a);
        }
    }

    @Test
    void shouldCacheIndexAndFilterBlocksWithHighPriority() {
        try (Options options = new Options()) {
            RecordingTableConfig table = configure("rollups", options, new HashMap<>());

            assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
            assertThat(table.cacheIndexAndFilterBlocksWithHighPriority()).isTrue();
            assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
            assertThat(table.pinL0FilterAndIndexBlocksInCache()).isTrue();
            assertThat(options.maxWriteBufferNumber()).isEqualTo(BoundedMemoryRocksDBConfig.DEFAULT_MAX_WRITE_BUFFERS);
        }
    }

    @Test
    void shouldFindPresentKeysThroughAHashIndexInEachDataBlock() {
        try (Options options = new Options()) {
            RecordingTableConfig table = configure("task-totals", options, new HashMap<>());

            assertThat(table.dataBlockIndexType()).isEqualTo(DataBlockIndexType.kDataBlockBinaryAndHash);
            assertThat(table.dataBlockHashTableUtilRatio()).isEqualTo(BoundedMemoryRocksDBConfig.DATA_BLOCK_HASH_UTIL_RATIO);
            assertThat(options.optimizeFiltersForHits()).isFalse();
            assertThat(options.memtableWholeKeyFiltering()).isTrue();
        }
    }

    @Test
    void shouldReadSizesFromTheStreamsConfigs() {
        BoundedMemoryRocksDBConfig.Sizes sizes = BoundedMemoryRocksDBConfig.Sizes.from(Map.of(
                BoundedMemoryRocksDBConfig.TOTAL_MEMORY_CONFIG, "268435456",
                BoundedMemoryRocksDBConfig.MEMTABLE_SHARE_CONFIG, "0.25",
                BoundedMemoryRocksDBConfig.MAX_WRITE_BUFFERS_CONFIG, 4,
                BoundedMemoryRocksDBConfig.HIGH_PRIORITY_RATIO_CONFIG, "0.2"));

        assertThat(sizes.totalBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(sizes.memtableBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(sizes.maxWriteBuffers()).isEqualTo(4);
        assertThat(sizes.highPriorityRatio()).isEqualTo(0.2);
    }

    @Test
    void shouldDefaultTo128MiBHalfForMemtables() {
        BoundedMemoryRocksDBConfig.Sizes sizes = BoundedMemoryRocksDBConfig.Sizes.from(Map.of());

        assertThat(sizes.totalBytes()).isEqualTo(128L * 1024 * 1024);
        assertThat(sizes.memtableBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(sizes.maxWriteBuffers()).isEqualTo(3);
    }

    @Test
    void shouldRejectSizesOutOfRange() {
        assertThatThrownBy(() -> BoundedMemoryRocksDBConfig.Sizes.from(
                Map.of(BoundedMemoryRocksDBConfig.MEMTABLE_SHARE_CONFIG, "1.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 1.5 for configuration rocksdb.memtable.share: must be in (0, 1]");
        assertThatThrownBy(() -> BoundedMemoryRocksDBConfig.Sizes.from(
                Map.of(BoundedMemoryRocksDBConfig.TOTAL_MEMORY_CONFIG, "lots")))
                .hasMessage("Invalid value lots for configuration rocksdb.total.memory.bytes: not an integer");
        assertThatThrownBy(() -> BoundedMemoryRocksDBConfig.Sizes.from(
                Map.of(BoundedMemoryRocksDBConfig.MAX_WRITE_BUFFERS_CONFIG, "0")))
                .hasMessage("Invalid value 0 for configuration rocksdb.max.write.buffers: must be at least 1");
    }
}
