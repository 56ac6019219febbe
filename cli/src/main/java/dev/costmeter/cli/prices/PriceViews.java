package dev.costmeter.cli.prices;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.money.Money;
import dev.costmeter.cli.prices.PriceHistory.Action;
import dev.costmeter.cli.render.Table;
import dev.costmeter.cli.render.Table.Align;
import dev.costmeter.contracts.LongContextTier;
import dev.costmeter.contracts.PriceVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Renders price lists and apply plans as tables and as JSON. */
public final class PriceViews {

    private PriceViews() {
    }

    /** A model's version in force at some instant. */
    public record InForce(String key, PriceVersion version) {
    }

    /** The version in force at {@code at} for every model that has one, sorted by key. */
    public static List<InForce> inForce(Map<String, PriceHistory> histories, Instant at) {
        List<InForce> rows = new ArrayList<>();
        histories.forEach((key, history) -> {
            Optional<PriceVersion> version = history.versionAt(at);
            version.ifPresent(v -> rows.add(new InForce(key, v)));
        });
        return rows;
    }

    /** The keys of models with no version in force at {@code at} (every version lies in the future). */
    public static List<String> notInForce(Map<String, PriceHistory> histories, Instant at) {
        List<String> keys = new ArrayList<>();
        histories.forEach((key, history) -> {
            if (history.versionAt(at).isEmpty()) {
                keys.add(key);
            }
        });
        return keys;
    }

    /** The table of prices in force, dollars per million tokens, exact. */
    public static String listTable(List<InForce> rows) {
        Table table = new Table()
                .column("MODEL", Align.LEFT)
                .column("EFFECTIVE_FROM", Align.LEFT)
                .column("INPUT", Align.RIGHT)
                .column("OUTPUT", Align.RIGHT)
                .column("CACHE_READ", Align.RIGHT)
                .column("CACHE_WRITE", Align.RIGHT)
                .column("BATCH_IN", Align.RIGHT)
                .column("BATCH_OUT", Align.RIGHT)
                .column("LONG_CONTEXT", Align.LEFT)
                .column("PRICE_VERSION", Align.LEFT);
        for (InForce row : rows) {
            PriceVersion v = row.version();
            table.row(row.key(), v.getEffectiveFrom(), Money.formatRate(v.getInputNanosPerMtok()),
                    Money.formatRate(v.getOutputNanosPerMtok()), Money.formatRate(v.getCacheReadNanosPerMtok()),
                    Money.formatRate(v.getCacheWriteNanosPerMtok()), rate(v.getBatchInputNanosPerMtok()),
                    rate(v.getBatchOutputNanosPerMtok()), longContext(v.getLongContext()), v.getPriceVersion());
        }
        return table.render();
    }

    /** The prices in force as JSON, every rate an integer of nano-USD per million tokens. */
    public static ObjectNode listJson(Instant at, List<InForce> rows, List<String> notInForce) {
        ObjectNode root = Json.object();
        root.put("at", at.toString());
        ArrayNode prices = root.putArray("prices");
        for (InForce row : rows) {
            PriceVersion v = row.version();
            ObjectNode price = prices.addObject();
            int slash = row.key().indexOf('/');
            price.put("provider", row.key().substring(0, slash));
            price.put("model", row.key().substring(slash + 1));
            price.put("effective_from", v.getEffectiveFrom().toString());
            price.put("input_nanos_per_mtok", v.getInputNanosPerMtok());
            price.put("output_nanos_per_mtok", v.getOutputNanosPerMtok());
            price.put("cache_read_nanos_per_mtok", v.getCacheReadNanosPerMtok());
            price.put("cache_write_nanos_per_mtok", v.getCacheWriteNanosPerMtok());
            price.put("batch_input_nanos_per_mtok", v.getBatchInputNanosPerMtok());
            price.put("batch_output_nanos_per_mtok", v.getBatchOutputNanosPerMtok());
            LongContextTier tier = v.getLongContext();
            if (tier == null) {
                price.putNull("long_context");
            } else {
                ObjectNode lc = price.putObject("long_context");
                lc.put("threshold_prompt_tokens", tier.getThresholdPromptTokens());
                lc.put("input_nanos_per_mtok", tier.getInputNanosPerMtok());
                lc.put("output_nanos_per_mtok", tier.getOutputNanosPerMtok());
                lc.put("cache_read_nanos_per_mtok", tier.getCacheReadNanosPerMtok());
                lc.put("cache_write_nanos_per_mtok", tier.getCacheWriteNanosPerMtok());
            }
            price.put("price_version", v.getPriceVersion());
            price.put("source", v.getSource());
        }
        ArrayNode pending = root.putArray("not_in_force");
        notInForce.forEach(pending::add);
        return root;
    }

    /** The table of what an apply did to each catalog entry. */
    public static String applyTable(ApplyPlan plan) {
        Table table = new Table()
                .column("MODEL", Align.LEFT)
                .column("EFFECTIVE_FROM", Align.LEFT)
                .column("ACTION", Align.LEFT);
        for (ApplyPlan.Step step : plan.steps()) {
            table.row(step.key(), step.effectiveFrom(), action(step.action()));
        }
        return table.render();
    }

    /** What an apply did, as JSON. */
    public static ObjectNode applyJson(ApplyPlan plan, String topic, boolean published) {
        ObjectNode root = Json.object();
        root.put("topic", topic);
        root.put("records_published", published ? plan.records().size() : 0);
        ArrayNode steps = root.putArray("entries");
        for (ApplyPlan.Step step : plan.steps()) {
            steps.addObject()
                    .put("model", step.key())
                    .put("effective_from", step.effectiveFrom().toString())
                    .put("action", action(step.action()));
        }
        return root;
    }

    /** One line summing up an apply. */
    public static String applySummary(ApplyPlan plan, String topic, boolean published) {
        String counts = plan.count(Action.ADDED) + " added, " + plan.count(Action.UPDATED) + " updated, "
                + plan.count(Action.UNCHANGED) + " unchanged";
        if (!published) {
            return counts + "; dry run, nothing published";
        }
        return counts + "; published " + plan.records().size() + " record(s) to " + topic;
    }

    static String action(Action action) {
        return action.name().toLowerCase(Locale.ROOT);
    }

    private static String rate(Long nanos) {
        return nanos == null ? "-" : Money.formatRate(nanos);
    }

    /** {@code >threshold: input/output/cache read/cache write}, in dollars per million tokens. */
    private static String longContext(LongContextTier tier) {
        if (tier == null) {
            return "-";
        }
        return ">" + tier.getThresholdPromptTokens() + ": " + Money.formatRate(tier.getInputNanosPerMtok()) + "/"
                + Money.formatRate(tier.getOutputNanosPerMtok()) + "/" + Money.formatRate(tier.getCacheReadNanosPerMtok())
                + "/" + Money.formatRate(tier.getCacheWriteNanosPerMtok());
    }
}
