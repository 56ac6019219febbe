package dev.costmeter.cli.whatif;

import dev.costmeter.cli.correct.CurrentCost;
import dev.costmeter.cli.kafka.KafkaConnection;
import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.Outcome;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.TaskOutcome;
import dev.costmeter.schemas.topics.TopicNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a what-if reads, read-only: the ledger's calls of the period, the corrections metering has
 * applied to them since, and the outcomes of their tasks, each topic from the period's start on.
 */
final class PeriodLedger {

    /**
     * Record timestamps are the producers' clocks and event times the services': metering accepts an
     * event time up to {@code max.future.skew} (5 minutes by default) ahead. Reading from an hour before
     * the period keeps every call of the period, even with that setting raised; calls are then chosen by
     * event time.
     */
    static final Duration CLOCK_MARGIN = Duration.ofHours(1);

    /**
     * @param selected     the selected calls, as they stand now, in the order read
     * @param outcomes     the last outcome of every task seen on the outcomes topic since the period's start
     * @param observations success per task_class and model over all the period's calls
     * @param incomplete   the topics that may no longer hold all of the period's records (retention deleted
     *                     their oldest), so the figures may be incomplete
     */
    record Read(List<PeriodCall> selected, Map<String, Outcome> outcomes, SuccessObservations observations,
            List<String> incomplete) {
    }

    private final KafkaConnection connection;
    private final TopicNames topics;

    PeriodLedger(KafkaConnection connection, TopicNames topics) {
        this.connection = connection;
        this.topics = topics;
    }

    Read read(Selection selection) {
        Instant since = selection.from().minus(CLOCK_MARGIN);
        Map<String, PricedUsage> selected = new LinkedHashMap<>();
        SuccessObservations observations = new SuccessObservations();
        List<String> incomplete = new ArrayList<>();
        boolean ledgerGap = new TopicSince<>(connection, topics.ledger(), PricedUsage.class).forEach(since, call -> {
            if (selection.inPeriod(call)) {
                observations.add(call.getTaskClass(), call.getProvider() + "/" + call.getModel(), call.getTaskId());
                if (selection.selects(call)) {
                    // A call is ledgered once per event_id; a copy (from a zombie's aborted write) is not a second call.
                    selected.putIfAbsent(call.getEventId(), call);
                }
            }
        });
        Map<String, List<LedgerCorrection>> corrections = new HashMap<>();
        if (ledgerGap) {
            incomplete.add(topics.ledger());
        }
        boolean correctionsGap = new TopicSince<>(connection, topics.ledgerCorrections(), LedgerCorrection.class).forEach(since, c -> {
            if (selected.containsKey(c.getEventId())) {
                corrections.computeIfAbsent(c.getEventId(), id -> new ArrayList<>()).add(c);
            }
        });
        if (correctionsGap) {
            incomplete.add(topics.ledgerCorrections());
        }
        Map<String, Outcome> outcomes = new HashMap<>();
        // An outcome decided later replaces an earlier one, as metering applies them.
        if (new TopicSince<>(connection, topics.taskOutcomes(), TaskOutcome.class).forEach(since,
                o -> outcomes.put(o.getTaskId(), o.getOutcome()))) {
            incomplete.add(topics.taskOutcomes());
        }
        List<PeriodCall> calls = new ArrayList<>(selected.size());
        for (PricedUsage call : selected.values()) {
            calls.add(net(call, corrections.getOrDefault(call.getEventId(), List.of())));
        }
        return new Read(List.copyOf(calls), outcomes, observations, List.copyOf(incomplete));
    }

    /**
     * The call's cost now: the ledgered cost plus every applied correction's difference (each is applied
     * once, by its id); priced as the last applied correction left it.
     */
    static PeriodCall net(PricedUsage call, List<LedgerCorrection> applied) {
        if (applied.isEmpty()) {
            return PeriodCall.ledgered(call);
        }
        Map<String, LedgerCorrection> once = new LinkedHashMap<>();
        applied.forEach(c -> once.putIfAbsent(c.getCorrectionId(), c));
        PricedUsage current = CurrentCost.of(call, List.copyOf(once.values()));
        return new PeriodCall(call, current.getCostNanos(), current.getPriced());
    }
}
