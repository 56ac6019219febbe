package dev.costmeter.cli.levers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.CostctlException;
import dev.costmeter.cli.money.Money;
import dev.costmeter.cli.render.Table;
import dev.costmeter.cli.render.Table.Align;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The levers' answer as text: one table of savings, one of waste, and which lever lost money. */
final class LeverViews {

    private LeverViews() {
    }

    static String table(JsonNode answer) {
        JsonNode total = answer.path("total");
        StringBuilder text = new StringBuilder();
        text.append(answer.path("dimension").asText().toLowerCase(Locale.ROOT)).append(' ').append(answer.path("scope").asText())
                .append(", ").append(answer.path("from").asText()).append(" to ").append(answer.path("to").asText())
                .append(": ").append(count(total, "calls")).append(" calls, ").append(days(answer))
                .append(" day(s) with calls, cost ").append(Money.format(nanos(total, "cost_nanos"))).append('\n');
        Table levers = new Table().column("LEVER", Align.LEFT).column("SAVED", Align.RIGHT).column("CALLS", Align.RIGHT)
                .column("TOKENS", Align.LEFT);
        JsonNode cache = total.path("prompt_cache");
        levers.row("prompt cache", Money.format(nanos(cache, "saved_nanos")), count(cache, "calls"),
                count(cache, "cache_read_tokens") + " read, " + count(cache, "cache_write_tokens") + " written");
        JsonNode batch = total.path("batch");
        levers.row("batch", Money.format(nanos(batch, "saved_nanos")), count(batch, "calls"), count(batch, "tokens") + " in batch calls");
        JsonNode responseCache = total.path("response_cache");
        levers.row("response cache", Money.format(nanos(responseCache, "saved_nanos")), count(responseCache, "calls"), "-");
        text.append(levers.render());

        JsonNode waste = total.path("waste");
        Table wasted = new Table().column("WASTE", Align.LEFT).column("COST", Align.RIGHT).column("CALLS", Align.RIGHT);
        wasted.row("retries (attempt > 1)", Money.format(nanos(waste.path("retries"), "cost_nanos")),
                count(waste.path("retries"), "calls"));
        text.append(wasted.render());
        JsonNode unavailable = answer.path("unavailable");
        unavailable.fieldNames().forEachRemaining(category -> text.append("not shown: ").append(category.replace('_', ' '))
                .append(" (").append(unavailable.path(category).asText()).append(")\n"));

        List<String> lost = new ArrayList<>();
        total.path("lost_money").forEach(lever -> lost.add(lever.asText()));
        if (lost.isEmpty()) {
            text.append("No lever lost money.\n");
        }
        for (String lever : lost) {
            text.append("LOST MONEY: ").append(lever.replace('_', ' ')).append(" cost ")
                    .append(Money.format(-nanos(total.path(lever), "saved_nanos"))).append(" more than it saved")
                    .append("prompt_cache".equals(lever) ? " (cache writes not repaid by cache reads)" : "").append('\n');
        }
        return text.toString();
    }

    private static int days(JsonNode answer) {
        return answer.path("windows").size();
    }

    private static long nanos(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw CostctlException.failed("metering-stream sent " + field + "=" + value + ", not a whole number");
        }
        return value.asLong();
    }

    private static String count(JsonNode node, String field) {
        return String.format(Locale.ROOT, "%,d", nanos(node, field));
    }
}
