package dev.costmeter.faults.campaign;

import dev.costmeter.faults.check.AggregateResult;
import dev.costmeter.faults.check.AlertResult;
import dev.costmeter.faults.check.CheckReport;
import dev.costmeter.faults.check.DeadLetterResult;
import dev.costmeter.faults.check.EventStoreResult;
import dev.costmeter.faults.cluster.FaultRecord;
import dev.costmeter.faults.cluster.LagSample;
import dev.costmeter.faults.cluster.Recovery;
import dev.costmeter.faults.oracle.Expectations;
import dev.costmeter.faults.schedule.FaultKind;
import dev.costmeter.faults.schedule.FaultSchedule;
import dev.costmeter.faults.workload.SentLog;
import dev.costmeter.faults.workload.WorkloadPlan;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.IntStream;

/** The campaign's report in Markdown: the run, one table per fault kind, each store's verdict. */
public final class CampaignReport {

    private CampaignReport() {
    }

    public static String render(RunFacts facts, WorkloadPlan plan, FaultSchedule schedule, List<FaultRecord> records,
            List<LagSample> samples, SentLog sent, Expectations expected, CheckReport check) {
        StringBuilder md = new StringBuilder();
        md.append("# Fault campaign, seed ").append(facts.seed()).append("\n\n");
        md.append(check.passed() ? "**PASS**: nothing lost, nothing charged twice, nothing charged wrong, in any store.\n\n"
                : "**FAIL**: see the problems below.\n\n");
        md.append("| run | |\n|---|---|\n")
                .append(row("cluster", facts.cluster()))
                .append(row("started", facts.runStart().toString()))
                .append(row("calls (first sends)", format(plan.calls().size()) + " at " + format(facts.ratePerSecond())
                        + " events/s planned, over " + seconds(facts.workloadMs())))
                .append(row("re-sends of acknowledged calls", format(sent.resentAtMs().size()) + " (planned "
                        + format(plan.resends()) + ", the rest in bursts)"))
                .append(row("outcomes, bad records", format(plan.outcomes().size()) + ", " + format(plan.poison().size())))
                .append(row("sends Kafka failed (sent again)", format(sent.sendFailures())))
                .append(row("faults", facts.faults() + " (" + records.stream().filter(r -> r.error() != null).count()
                        + " could not be injected)"))
                .append(row("settled after", facts.notSettled() == null ? seconds(facts.settleMs())
                        : "NOT SETTLED after " + seconds(facts.settleMs()) + ": " + facts.notSettled().replace('|', '/')))
                .append(row("machine", facts.cores() + " cores, load average " + load(facts.loadAtStart()) + " at start, "
                        + load(facts.loadAtEnd()) + " at the check (shared with other builds)"))
                .append('\n');
        md.append("## Schedule\n\n").append(schedule.render()).append('\n');
        faultTables(md, facts, records, samples, sent, expected, check, plan.calls().size());
        stores(md, check);
        problems(md, check);
        md.append("\nHow to read this: fault-campaign/README.md.\n");
        return md.toString();
    }

    private static void faultTables(StringBuilder md, RunFacts facts, List<FaultRecord> records, List<LagSample> samples, SentLog sent,
            Expectations expected, CheckReport check, int calls) {
        FaultWindows windows = new FaultWindows(records, calls, sent, expected, check);
        md.append("## Results by fault kind\n\n")
                .append("Each call is counted in the window of the fault it was first sent after (until the next fault). "
                        + "*lost*, *duplicated*, *wrong*: calls missing, charged more than once or charged wrong in the "
                        + "ledger topic or the PostgreSQL ledger. *at*: when the fault was injected, with its planned time when it ran "
                        + "late (the previous fault overran; each fault waits the recovery time after the one before). *lasted*: how long the fault's action took (a hold, a rolling "
                        + "restart). *caught up*: from injection until metering committed "
                        + "everything the usage topic held at injection. *ledger resumed*: until metering committed again "
                        + "on every usage partition (offsets commit with the ledger records, exactly-once).\n\n");
        FaultWindows.Window before = windows.window(-1);
        md.append("### before the first fault\n\n| calls sent | re-sends | lost | duplicated | wrong |\n|---|---|---|---|---|\n")
                .append("| ").append(format(before.sent())).append(" | ").append(format(before.resent())).append(" | ")
                .append(before.lost().size()).append(" | ").append(before.duplicated().size()).append(" | ")
                .append(before.wrong().size()).append(" |\n\n");
        for (FaultKind kind : FaultKind.values()) {
            List<Integer> indexes = IntStream.range(0, records.size())
                    .filter(i -> records.get(i).fault().kind() == kind).boxed().toList();
            if (indexes.isEmpty()) {
                continue;
            }
            md.append("### ").append(kind.label()).append(": ").append(kind.description()).append("\n\n")
                    .append("| # | at | target | hold | lasted | calls sent | re-sends | lost | duplicated | wrong | caught up | ledger resumed | peak lag |\n")
                    .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            long sentSum = 0;
            long lostSum = 0;
            long dupSum = 0;
            long wrongSum = 0;
            for (int i : indexes) {
                FaultRecord record = records.get(i);
                FaultWindows.Window window = windows.window(i);
                long until = i + 1 < records.size() ? records.get(i + 1).injectedAt() : Long.MAX_VALUE;
                sentSum += window.sent();
                lostSum += window.lost().size();
                dupSum += window.duplicated().size();
                wrongSum += window.wrong().size();
                md.append("| ").append(record.fault().number()).append(" | ").append(at(record, facts))
                        .append(" | ").append(record.target()).append(record.error() == null ? "" : " (NOT INJECTED: "
                                + record.error().replace('|', '/') + ")")
                        .append(" | ").append(record.fault().holdMs() == 0 ? "" : seconds(record.fault().holdMs()))
                        .append(" | ").append(seconds(record.endedAt() - record.injectedAt()))
                        .append(" | ").append(format(window.sent())).append(" | ").append(format(window.resent()))
                        .append(" | ").append(window.lost().size()).append(" | ").append(window.duplicated().size())
                        .append(" | ").append(window.wrong().size())
                        .append(" | ").append(time(Recovery.toCaughtUp(record, samples)))
                        .append(" | ").append(time(Recovery.toLedgerResumed(record, samples)))
                        .append(" | ").append(format(Recovery.peakLag(record, samples, until))).append(" |\n");
            }
            md.append("| all | | | | | ").append(format(sentSum)).append(" | | ").append(lostSum).append(" | ").append(dupSum)
                    .append(" | ").append(wrongSum).append(" | | | |\n\n");
        }
    }

    private static void stores(StringBuilder md, CheckReport check) {
        md.append("## Stores\n\n| store | checked | missing | duplicated | wrong (of which the amount) | not expected |\n")
                .append("|---|---|---|---|---|---|\n");
        for (EventStoreResult store : check.eventStores()) {
            md.append("| ").append(store.store()).append(" | ").append(format(store.rowsRead())).append(" rows | ")
                    .append(store.missing().size()).append(" | ").append(store.duplicated().size()).append(" | ")
                    .append(store.wrong().size()).append(" (").append(store.wrongMoney().size()).append(") | ")
                    .append(store.unexpected().size()).append(" |\n");
        }
        for (AggregateResult aggregate : check.aggregates()) {
            md.append("| ").append(aggregate.store()).append(" | ").append(format(aggregate.checked())).append(" keys | | | ")
                    .append(aggregate.mismatches().size()).append(" differ | |\n");
        }
        DeadLetterResult dlq = check.deadLetters();
        if (dlq != null) {
            md.append("| usage DLQ (each bad record once, its reason) | ").append(format(dlq.read())).append(" records | ")
                    .append(dlq.missing().size()).append(" | ").append(dlq.duplicated().size()).append(" | ")
                    .append(dlq.wrongReason().size()).append(" wrong reason | ").append(dlq.unexpected().size()).append(" |\n");
        }
        AlertResult alerts = check.alerts();
        if (alerts != null) {
            md.append("| alerts (each designed crossing FIRING once) | ").append(format(alerts.alertsRead())).append(" records | ")
                    .append(alerts.missing().size()).append(" | ")
                    .append(alerts.duplicatedFirings().size() + alerts.refired().size()).append(" | | ")
                    .append(alerts.unexpected().size()).append(" |\n");
            md.append("| switches (each designed scope blocked) | ").append(format(alerts.switchesRead())).append(" commands | ")
                    .append(alerts.missingBlocks().size()).append(" | | | |\n");
            if (!alerts.otherRules().isEmpty()) {
                md.append("\nOther alerts (rules the workload does not design; reported, not judged): ")
                        .append(alerts.otherRules()).append('\n');
            }
        }
        md.append('\n');
    }

    private static void problems(StringBuilder md, CheckReport check) {
        List<String> problems = check.problems();
        if (problems.isEmpty()) {
            return;
        }
        md.append("## Problems\n\n");
        problems.forEach(p -> md.append("- ").append(p.replace('\n', ' ')).append('\n'));
    }

    private static String row(String name, String value) {
        return "| " + name + " | " + value + " |\n";
    }

    private static String time(OptionalLong ms) {
        return ms.isPresent() ? seconds(ms.getAsLong()) : "not seen";
    }

    /** When the fault was injected, from the start of the run, and its planned time when it ran late. */
    static String at(FaultRecord record, RunFacts facts) {
        long actual = record.injectedAt() - facts.runStart().toEpochMilli();
        long planned = record.fault().atMs();
        return actual - planned >= 1_000 ? seconds(actual) + " (planned " + seconds(planned) + ")" : seconds(actual);
    }

    static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static String format(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String load(double load) {
        return load < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", load);
    }
}
