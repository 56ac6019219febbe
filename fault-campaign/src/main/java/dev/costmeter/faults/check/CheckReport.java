package dev.costmeter.faults.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Every store's verdict. The run passes when no store lost, doubled or mis-charged anything, every bad
 * record is dead-lettered once and every designed alert fired once.
 *
 * @param deadLetters null when the DLQ was not checked
 * @param alerts      null when alerts were not checked
 */
public record CheckReport(List<EventStoreResult> eventStores, List<AggregateResult> aggregates,
        DeadLetterResult deadLetters, AlertResult alerts) {

    private static final int EXAMPLES = 5;

    public boolean passed() {
        return eventStores.stream().allMatch(EventStoreResult::ok) && aggregates.stream().allMatch(AggregateResult::ok)
                && (deadLetters == null || deadLetters.ok()) && (alerts == null || alerts.ok());
    }

    /** One line per problem found (with a few examples each); empty when the run passed. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (EventStoreResult store : eventStores) {
            add(problems, store.store() + ": " + store.missing().size() + " missing", store.missing());
            add(problems, store.store() + ": " + store.duplicated().size() + " duplicated", store.duplicated().entrySet());
            add(problems, store.store() + ": " + store.wrong().size() + " wrong (" + store.wrongMoney().size()
                    + " with a wrong amount)", store.wrong().entrySet());
            add(problems, store.store() + ": " + store.unexpected().size() + " rows for no accepted call",
                    store.unexpected().entrySet());
        }
        for (AggregateResult aggregate : aggregates) {
            add(problems, aggregate.store() + ": " + aggregate.mismatches().size() + " of " + aggregate.checked()
                    + " keys differ", aggregate.mismatches());
        }
        if (deadLetters != null) {
            add(problems, "DLQ: " + deadLetters.missing().size() + " bad records not dead-lettered", deadLetters.missing());
            add(problems, "DLQ: " + deadLetters.duplicated().size() + " bad records dead-lettered more than once",
                    deadLetters.duplicated().entrySet());
            add(problems, "DLQ: " + deadLetters.wrongReason().size() + " with another reason",
                    deadLetters.wrongReason().entrySet());
            add(problems, "DLQ: " + deadLetters.unexpected().size() + " records that are no bad record sent",
                    deadLetters.unexpected());
        }
        if (alerts != null) {
            add(problems, "alerts: " + alerts.duplicatedFirings().size() + " dedup keys FIRING more than once",
                    alerts.duplicatedFirings().entrySet());
            add(problems, "alerts: " + alerts.missing().size() + " designed alerts never fired", alerts.missing());
            add(problems, "alerts: " + alerts.refired().size() + " designed alerts fired under several keys",
                    alerts.refired().entrySet());
            add(problems, "alerts: " + alerts.unexpected().size() + " budget_cap/task_loop alerts not designed",
                    alerts.unexpected());
            add(problems, "switches: " + alerts.missingBlocks().size() + " designed scopes never blocked",
                    alerts.missingBlocks());
        }
        return problems;
    }

    private static void add(List<String> problems, String headline, Collection<?> items) {
        if (items.isEmpty()) {
            return;
        }
        List<String> examples = items.stream().limit(EXAMPLES).map(String::valueOf).toList();
        problems.add(headline + ", e.g. " + String.join("; ", examples));
    }
}
