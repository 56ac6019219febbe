package dev.costmeter.cli.whatif;

import dev.costmeter.contracts.Outcome;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.pricing.PriceBook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-built period of the ledger for what-if tests: calls, task outcomes and prices. Rates are
 * nano-USD per million tokens, so a token costs rate / 1,000,000 nano-USD:
 * anthropic/sonnet 3,000 a token in and 15,000 out; anthropic/haiku 1,000 in and 5,000 out;
 * anthropic/opus 15,000 in and 75,000 out (no call uses it).
 */
final class LedgerFixture {

    static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant TO = Instant.parse("2026-11-08T00:00:00Z");

    static final Map<String, PriceBook> BOOKS = Map.of(
            "anthropic/sonnet", book("sonnet", 3_000_000_000L, 15_000_000_000L),
            "anthropic/haiku", book("haiku", 1_000_000_000L, 5_000_000_000L),
            "anthropic/opus", book("opus", 15_000_000_000L, 75_000_000_000L));

    final List<PeriodCall> all = new ArrayList<>();
    final Map<String, Outcome> outcomes = new HashMap<>();
    private int calls;

    private static PriceBook book(String model, long input, long output) {
        return PriceBook.of(PriceEntry.newBuilder().setProvider("anthropic").setModel(model)
                .setEffectiveFrom(Instant.parse("2026-01-01T00:00:00Z")).setInputNanosPerMtok(input)
                .setOutputNanosPerMtok(output).setPriceVersion(model + "@v1").build());
    }

    /** A priced call ledgered at {@code cost}. */
    PricedUsage call(String tenant, String taskClass, String route, String task, String model, long input, long output,
            long cost) {
        calls++;
        Instant time = FROM.plusSeconds(3_600L * calls);
        PricedUsage call = PricedUsage.newBuilder().setEventId("e" + calls).setEventTime(time).setTenantId(tenant)
                .setTaskId(task).setTaskClass(taskClass).setRoute(route).setProvider("anthropic").setModel(model)
                .setInputTokens(input).setOutputTokens(output).setCostNanos(cost).setInputCostNanos(cost)
                .setOutputCostNanos(0L).setCacheReadCostNanos(0L).setCacheWriteCostNanos(0L).setPriced(true)
                .setPriceVersion(model + "@v1").setPricedAt(time).build();
        all.add(PeriodCall.ledgered(call));
        return call;
    }

    void outcome(String task, Outcome outcome) {
        outcomes.put(task, outcome);
    }

    /** What the command's reading gives: the calls a selection picks, and the observations over all of them. */
    List<PeriodCall> selected(Selection selection) {
        return all.stream().filter(c -> selection.selects(c.call())).toList();
    }

    SuccessObservations observations() {
        SuccessObservations observations = new SuccessObservations();
        all.forEach(c -> observations.add(c.call().getTaskClass(), c.modelKey(), c.taskId()));
        return observations;
    }
}
