package dev.costmeter.cli.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The import against the committed genai-prices snapshot: a dozen models' converted rates equal
 * the snapshot's own figures (read from the file here, as decimals), and the shipped catalog is
 * exactly what the documented command makes of it.
 */
class GenaiPricesTest {

    static final Path SNAPSHOT = Path.of("..", "examples", "datasets", "genai-prices", "data.json");
    static final Path MODELS = Path.of("..", "examples", "datasets", "genai-prices", "models.txt");
    static final LocalDate SNAPSHOT_DATE = LocalDate.of(2026, 8, 21);
    private static final String SOURCE = "https://github.com/pydantic/genai-prices prices/new_data/v2/data.json (MIT)";
    private static final Map<String, Integer> BATCH = Map.of("openai", 50, "anthropic", 50, "google", 50);
    private static final ObjectMapper DECIMALS = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** usage-event name, the snapshot's provider id and model id. */
    private record Checked(String name, String datasetProvider, String datasetModel) {
    }

    private static final List<Checked> DOZEN = List.of(
            new Checked("openai/gpt-4o", "openai", "gpt-4o"),
            new Checked("openai/gpt-4o-mini", "openai", "gpt-4o-mini"),
            new Checked("openai/gpt-5", "openai", "gpt-5"),
            new Checked("openai/o3", "openai", "o3"),
            new Checked("anthropic/claude-sonnet-4-5-20250929", "anthropic", "claude-sonnet-4-5"),
            new Checked("anthropic/claude-haiku-4-5-20251001", "anthropic", "claude-haiku-4-5"),
            new Checked("anthropic/claude-opus-4-1-20250805", "anthropic", "claude-opus-4-1"),
            new Checked("google/gemini-2.5-pro", "google", "gemini-2.5-pro"),
            new Checked("google/gemini-2.5-flash", "google", "gemini-2.5-flash"),
            new Checked("bedrock/amazon.nova-micro-v1:0", "aws", "amazon.nova-micro-v1:0"),
            new Checked("together/meta-llama/Llama-3.3-70B-Instruct-Turbo", "together", "meta-llama/Llama-3.3-70B-Instruct-Turbo"),
            new Checked("groq/llama-3.1-8b-instant", "groq", "llama-3.1-8b-instant"));

    @Test
    void shouldConvertADozenModelsToTheSnapshotsOwnFiguresExactly() throws Exception {
        JsonNode snapshot = DECIMALS.readTree(Files.readString(SNAPSHOT));
        List<GenaiPrices.Selection> selection = DOZEN.stream().map(c -> GenaiPrices.Selection.parse(c.name())).toList();
        Catalog catalog = new GenaiPrices(SOURCE, SNAPSHOT_DATE, BATCH).convert(Files.readString(SNAPSHOT), selection);

        for (Checked checked : DOZEN) {
            JsonNode prices = datasetPrices(snapshot, checked);
            CatalogEntry entry = catalog.entries().stream().filter(e -> e.key().equals(checked.name())).findFirst()
                    .orElseThrow(() -> new AssertionError("no entry for " + checked.name()));
            String at = checked.name();
            assertThat(entry.effectiveFrom()).as(at).isEqualTo(Instant.EPOCH);
            assertThat(entry.inputNanos()).as(at + " input").isEqualTo(base(prices, "input_mtok"));
            assertThat(entry.outputNanos()).as(at + " output").isEqualTo(base(prices, "output_mtok"));
            assertThat(entry.cacheReadNanos()).as(at + " cache read").isEqualTo(base(prices, "cache_read_mtok"));
            assertThat(entry.cacheWriteNanos()).as(at + " cache write").isEqualTo(base(prices, "cache_write_mtok"));
            assertThat(entry.cacheWrite1hNanos()).as(at + " 1-hour write")
                    .isEqualTo(prices.has("cache_write_1h_mtok") ? base(prices, "cache_write_1h_mtok") : null);
            if (prices.has("web_searches_kcount")) {
                assertThat(entry.requestFeeNanos()).as(at).containsEntry("web_search",
                        nanos(prices.get("web_searches_kcount").decimalValue().movePointLeft(3)));
            }
            if (prices.path("input_mtok").has("tiers")) {
                assertThat(entry.longContext().thresholdPromptTokens()).as(at)
                        .isEqualTo(prices.get("input_mtok").get("tiers").get(0).get("start").asLong());
                assertThat(entry.longContext().inputNanos()).as(at + " long-context input").isEqualTo(tier(prices, "input_mtok"));
                assertThat(entry.longContext().outputNanos()).as(at + " long-context output").isEqualTo(tier(prices, "output_mtok"));
                assertThat(entry.longContext().withBatch()).as(at).isEqualTo("MULTIPLY");
            } else {
                assertThat(entry.longContext()).as(at).isNull();
            }
            boolean halfBatch = BATCH.containsKey(entry.provider());
            assertThat(entry.batchInputNanos()).as(at + " batch input").isEqualTo(halfBatch ? entry.inputNanos() / 2 : null);
            assertThat(entry.source()).as(at).startsWith(SOURCE).contains("model " + checked.datasetModel());
            assertThat(entry.sourceDate()).as(at).isEqualTo(SNAPSHOT_DATE);
        }
        // Hand-checked anchors, so a wrong reading of the snapshot cannot pass both sides unnoticed.
        CatalogEntry sonnet = catalog.entries().stream().filter(e -> e.model().equals("claude-sonnet-4-5-20250929")).findFirst().orElseThrow();
        assertThat(sonnet.cacheWriteNanos()).isEqualTo(3_750_000_000L);
        assertThat(sonnet.cacheWrite1hNanos()).isEqualTo(6_000_000_000L);
        assertThat(sonnet.longContext().outputNanos()).isEqualTo(22_500_000_000L);
        assertThat(sonnet.requestFeeNanos()).containsEntry("web_search", 10_000_000L);
    }

    @Test
    void shouldBeExactlyWhatTheShippedCatalogHolds() throws Exception {
        List<GenaiPrices.Selection> selection = Files.readAllLines(MODELS).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).map(GenaiPrices.Selection::parse).toList();
        Catalog converted = new GenaiPrices(SOURCE, SNAPSHOT_DATE, BATCH).convert(Files.readString(SNAPSHOT), selection);
        Catalog shipped = new CatalogParser().parse(Files.readString(ShippedCatalogTest.SHIPPED));

        assertThat(shipped.asOf()).isEqualTo(SNAPSHOT_DATE);
        assertThat(shipped.entries()).containsExactlyElementsOf(converted.entries());
    }

    @Test
    void shouldKeepADatedPriceAsAVersionFromItsStartDate() throws Exception {
        Catalog catalog = new GenaiPrices(SOURCE, SNAPSHOT_DATE, Map.of()).convert(Files.readString(SNAPSHOT),
                List.of(GenaiPrices.Selection.parse("anthropic/claude-sonnet-4-6")));

        assertThat(catalog.entries()).extracting(CatalogEntry::effectiveFrom)
                .containsExactly(Instant.EPOCH, Instant.parse("2026-03-13T00:00:00Z"));
        assertThat(catalog.entries().get(0).longContext()).isNotNull();
        assertThat(catalog.entries().get(1).longContext()).isNull();
    }

    @Test
    void shouldRefuseARateThatIsNotAWholeNanoPerMillionTokens() {
        String dataset = """
                [{"id": "acme", "pricing_urls": ["https://acme.example/pricing"], "models": [
                  {"id": "m1", "match": {"equals": "m1"}, "prices": {"input_mtok": 0.0000000001, "output_mtok": 1}}]}]
                """;
        assertThatThrownBy(() -> new GenaiPrices(SOURCE, SNAPSHOT_DATE, Map.of()).convert(dataset, List.of()))
                .isInstanceOf(CatalogException.class)
                .hasMessage("acme/m1 (dataset model m1) from 1970-01-01T00:00:00Z: input_mtok is 0.0000000001 USD, not a whole"
                        + " number of nano-USD per million tokens; refused rather than rounded");
    }

    @Test
    void shouldConvertNinePlacesExactlyWhereADoubleWouldNot() throws Exception {
        // 0.000000007 USD is 7 nano-USD; through a double, 0.000000007 * 1e9 is 6.999999999999999.
        String dataset = """
                [{"id": "acme", "pricing_urls": [], "models": [
                  {"id": "m1", "match": {"equals": "m1"}, "prices": {"input_mtok": 0.000000007, "output_mtok": 1.123456789}}]}]
                """;
        CatalogEntry entry = new GenaiPrices(SOURCE, SNAPSHOT_DATE, Map.of()).convert(dataset, List.of()).entries().get(0);

        assertThat(entry.inputNanos()).isEqualTo(7L);
        assertThat(entry.outputNanos()).isEqualTo(1_123_456_789L);
    }

    @Test
    void shouldRefuseWhatItCannotRepresent() {
        String dataset = """
                [{"id": "acme", "pricing_urls": [], "models": [
                  {"id": "offpeak", "match": {"equals": "offpeak"}, "prices": [
                    {"constraint": {"start_time": "16:30:00", "end_time": "00:30:00"}, "prices": {"input_mtok": 1, "output_mtok": 2}}]},
                  {"id": "tiers", "match": {"equals": "tiers"}, "prices": {
                    "input_mtok": {"base": 1, "tiers": [{"start": 200000, "price": 2}]},
                    "output_mtok": {"base": 1, "tiers": [{"start": 128000, "price": 2}]}}},
                  {"id": "chars", "match": {"equals": "chars"}, "prices": {"input_mtok": 1, "output_mtok": 1, "input_mchars": 3}},
                  {"id": "halves", "match": {"equals": "halves"}, "prices": {"input_mtok": 0.000000001, "output_mtok": 1}}]}]
                """;
        assertThatThrownBy(() -> new GenaiPrices(SOURCE, SNAPSHOT_DATE, Map.of("acme", 50)).convert(dataset, List.of()))
                .isInstanceOf(CatalogException.class)
                .satisfies(e -> assertThat(((CatalogException) e).errors()).containsExactly(
                        "acme/offpeak (dataset model offpeak): a price constrained by {\"start_time\":\"16:30:00\","
                                + "\"end_time\":\"00:30:00\"} (e.g. time of day) cannot be represented; leave the model out of the selection",
                        "acme/tiers (dataset model tiers) from 1970-01-01T00:00:00Z: output_mtok's tier starts at 128000,"
                                + " another field's at 200000; one long-context threshold per price",
                        "acme/chars (dataset model chars) from 1970-01-01T00:00:00Z: price field input_mchars has no"
                                + " costmeter equivalent; leave the model out",
                        "acme/halves (dataset model halves) from 1970-01-01T00:00:00Z: batch input at 50% of 1 nano-USD"
                                + " per million tokens is 0.5, not a whole number; refused rather than rounded"));
    }

    private static JsonNode datasetPrices(JsonNode snapshot, Checked checked) {
        for (JsonNode provider : snapshot) {
            if (provider.get("id").asText().equals(checked.datasetProvider())) {
                for (JsonNode model : provider.get("models")) {
                    if (model.get("id").asText().equals(checked.datasetModel())) {
                        JsonNode prices = model.get("prices");
                        return prices.isArray() ? prices.get(0).get("prices") : prices;
                    }
                }
            }
        }
        throw new AssertionError("the snapshot has no " + checked);
    }

    private static long base(JsonNode prices, String field) {
        JsonNode value = prices.get(field);
        if (value == null) {
            return 0;
        }
        return nanos(value.isObject() ? value.get("base").decimalValue() : value.decimalValue());
    }

    private static long tier(JsonNode prices, String field) {
        return nanos(prices.get(field).get("tiers").get(0).get("price").decimalValue());
    }

    private static long nanos(BigDecimal usd) {
        return usd.movePointRight(9).longValueExact();
    }
}
