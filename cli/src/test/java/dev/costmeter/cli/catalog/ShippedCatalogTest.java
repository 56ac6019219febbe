package dev.costmeter.cli.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * The catalog shipped in examples/ is valid and says where every price came from: the dated
 * genai-prices snapshot it is generated from ({@link GenaiPricesTest} checks it is exactly that).
 */
class ShippedCatalogTest {

    static final Path SHIPPED = Path.of("..", "examples", "catalog.yaml");

    @Test
    void shouldParseTheShippedCatalog() throws Exception {
        Catalog catalog = new CatalogParser().parse(Files.readString(SHIPPED));

        assertThat(catalog.asOf()).isEqualTo(LocalDate.of(2026, 8, 21));
        assertThat(catalog.entries()).hasSizeGreaterThan(30);
        assertThat(catalog.entries()).extracting(CatalogEntry::provider)
                .contains("openai", "anthropic", "google", "bedrock", "together", "groq");
    }

    @Test
    void shouldGiveEveryEntryItsDatasetSourceAndSnapshotDateAndNoUnverifiedOne() throws Exception {
        String text = Files.readString(SHIPPED);
        Catalog catalog = new CatalogParser().parse(text);

        assertThat(text).doesNotContainIgnoringCase("unverified");
        assertThat(catalog.entries()).allSatisfy(entry -> {
            assertThat(entry.source()).as(entry.key()).startsWith("https://github.com/pydantic/genai-prices ")
                    .contains("; provider page https://");
            assertThat(entry.sourceDate()).as(entry.key()).isEqualTo(LocalDate.of(2026, 8, 21));
        });
    }

    @Test
    void shouldCarryTheListPricesExactly() throws Exception {
        Catalog catalog = new CatalogParser().parse(Files.readString(SHIPPED));

        CatalogEntry gpt4o = find(catalog, "openai/gpt-4o");
        assertThat(gpt4o.inputNanos()).isEqualTo(2_500_000_000L);
        assertThat(gpt4o.batchOutputNanos()).isEqualTo(5_000_000_000L);
        CatalogEntry sonnet = find(catalog, "anthropic/claude-sonnet-4-5-20250929");
        assertThat(sonnet.cacheWriteNanos()).isEqualTo(3_750_000_000L);
        assertThat(sonnet.cacheWrite1hNanos()).isEqualTo(6_000_000_000L);
        assertThat(sonnet.requestFeeNanos()).containsEntry("web_search", 10_000_000L);
        assertThat(sonnet.longContext().thresholdPromptTokens()).isEqualTo(200_000);
        assertThat(sonnet.longContext().outputNanos()).isEqualTo(22_500_000_000L);
        assertThat(find(catalog, "bedrock/amazon.nova-micro-v1:0").cacheReadNanos()).isEqualTo(8_750_000L);
    }

    @Test
    void shouldPriceBatchAtHalfWhereTheProviderPublishesIt() throws Exception {
        Catalog catalog = new CatalogParser().parse(Files.readString(SHIPPED));

        assertThat(catalog.entries()).filteredOn(e -> e.batchInputNanos() != null).allSatisfy(entry -> {
            assertThat(entry.batchInputNanos() * 2).as(entry.key()).isEqualTo(entry.inputNanos());
            assertThat(entry.batchOutputNanos() * 2).as(entry.key()).isEqualTo(entry.outputNanos());
        });
    }

    private static CatalogEntry find(Catalog catalog, String key) {
        return catalog.entries().stream().filter(e -> e.key().equals(key)).findFirst().orElseThrow();
    }
}
