package dev.costmeter.cli.correct;

import dev.costmeter.cli.CostctlException;
import dev.costmeter.cli.kafka.CompactedTopic;
import dev.costmeter.cli.kafka.KafkaConnection;
import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.pricing.PriceBook;
import dev.costmeter.pricing.Rates;
import dev.costmeter.schemas.topics.TopicNames;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reprices one model's ledgered calls over a period with the price in force at each call's time:
 * reads the ledger and the corrections already applied (committed records only) and the model's
 * price history, and plans one correction per call whose cost changes. Publishing sends them to the
 * correction requests topic keyed by task_id; metering applies each id once.
 */
public final class CorrectionPlanner {

    private final KafkaConnection connection;
    private final TopicNames topics;

    public CorrectionPlanner(KafkaConnection connection, TopicNames topics) {
        this.connection = connection;
        this.topics = topics;
    }

    /**
     * The plan for {@code provider/model} over [{@code from}, {@code to}).
     *
     * @throws CostctlException when the model has no price on the prices topic
     */
    public CorrectionPlan plan(String provider, String model, Instant from, Instant to, String reason, Instant now) {
        String key = provider + "/" + model;
        PriceEntry price = new CompactedTopic<>(connection, topics.prices(), PriceEntry.class).latest().get(key);
        if (price == null) {
            throw CostctlException.failed("no price for " + key + " on topic " + topics.prices()
                    + "; publish one first (costctl prices apply)");
        }
        PriceBook book = PriceBook.of(price);
        Map<String, List<LedgerCorrection>> applied = new HashMap<>();
        for (ConsumerRecord<String, LedgerCorrection> r : new CompactedTopic<>(connection, topics.ledgerCorrections(),
                LedgerCorrection.class).readAll()) {
            if (r.value() != null) {
                applied.computeIfAbsent(r.value().getEventId(), id -> new ArrayList<>()).add(r.value());
            }
        }
        Map<String, PricedUsage> calls = new LinkedHashMap<>();
        for (ConsumerRecord<String, PricedUsage> r : new CompactedTopic<>(connection, topics.ledger(), PricedUsage.class).readAll()) {
            PricedUsage call = r.value();
            if (call != null && call.getProvider().equals(provider) && call.getModel().equals(model)
                    && !call.getEventTime().isBefore(from) && call.getEventTime().isBefore(to)) {
                calls.putIfAbsent(call.getEventId(), call);
            }
        }
        long oldTotal = 0;
        long newTotal = 0;
        List<LedgerCorrection> corrections = new ArrayList<>();
        for (PricedUsage ledgered : calls.values()) {
            PricedUsage current = CurrentCost.of(ledgered, applied.getOrDefault(ledgered.getEventId(), List.of()));
            Optional<Rates> rates = book.inForceAt(current.getEventTime());
            Optional<LedgerCorrection> correction = Repricing.correction(current, rates, reason, now);
            oldTotal = Math.addExact(oldTotal, current.getCostNanos());
            newTotal = Math.addExact(newTotal, correction.map(LedgerCorrection::getNewCostNanos).orElse(current.getCostNanos()));
            correction.ifPresent(corrections::add);
        }
        return new CorrectionPlan(calls.size(), oldTotal, newTotal, List.copyOf(corrections));
    }

    /** Sends the plan's corrections to the correction requests topic, keyed by task_id, and waits for every acknowledgement. */
    public void publish(CorrectionPlan plan) {
        new CompactedTopic<>(connection, topics.priceCorrections(), LedgerCorrection.class).publish(plan.corrections().stream()
                .<Map.Entry<String, LedgerCorrection>>map(c -> new AbstractMap.SimpleImmutableEntry<>(c.getTaskId(), c))
                .toList());
    }
}
