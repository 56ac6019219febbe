package dev.costmeter.alerting.scopes;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Applies a signal to a scope's state and forgets windows no rule reads any more. */
final class Accumulate {

    static final long MINUTE_MS = 60_000L;
    static final long HOUR_MS = 3_600_000L;
    static final long DAY_MS = 86_400_000L;

    private Accumulate() {
    }

    static ScopeState apply(ScopeState s, ScopeSignal signal, long nowMs, Duration minuteHorizon, Duration hourHorizon) {
        TreeMap<Long, ScopeState.Stats> minutes = s.minutes();
        TreeMap<Long, Long> hours = s.hours();
        TreeMap<Long, Long> days = s.days();
        Map<String, ScopeState.Stats> contributors = s.contributors();
        long contributorsDay = s.contributorsDayMs();
        ScopeState.Drift drift = s.drift();
        long total = s.totalCost();
        TreeMap<Long, Long> spendHours = s.spendHours();
        TreeMap<Long, Long> spendDays = s.spendDays();
        ScopeState.Stats stats = new ScopeState.Stats(signal.costNanos(), signal.calls(), signal.retries(),
                signal.failures());
        if (signal.isSpend()) {
            long hour = signal.windowStartMs();
            spendHours.merge(hour, signal.costNanos(), Math::addExact);
            spendDays.merge(floor(hour, DAY_MS), signal.costNanos(), Math::addExact);
            if (floor(hour, DAY_MS) != contributorsDay) {
                contributors.clear();
                contributorsDay = floor(hour, DAY_MS);
            }
            if (signal.contributors() != null) {
                for (Map.Entry<String, Long> task : signal.contributors().entrySet()) {
                    if (contributors.containsKey(task.getKey()) || contributors.size() < ScopeState.MAX_CONTRIBUTORS) {
                        contributors.merge(task.getKey(), new ScopeState.Stats(task.getValue(), 0, 0, 0),
                                ScopeState.Stats::plus);
                    }
                }
            }
        } else if (signal.isCall()) {
            long t = signal.windowStartMs();
            minutes.merge(floor(t, MINUTE_MS), stats, ScopeState.Stats::plus);
            hours.merge(floor(t, HOUR_MS), signal.costNanos(), Long::sum);
            days.merge(floor(t, DAY_MS), signal.costNanos(), Long::sum);
            total += signal.costNanos();
            if (floor(t, DAY_MS) != contributorsDay) {
                contributors.clear();
                contributorsDay = floor(t, DAY_MS);
            }
            // A scope fed by the fast path names its contributors from there; the ledger would count them twice.
            if (signal.contributor() != null && spendDays.isEmpty() && (contributors.containsKey(signal.contributor())
                    || contributors.size() < ScopeState.MAX_CONTRIBUTORS)) {
                contributors.merge(signal.contributor(), stats, ScopeState.Stats::plus);
            }
            if (signal.providerCostNanos() != null && signal.priced()) {
                long hour = floor(t, HOUR_MS);
                drift = drift.hourStartMs() == hour
                        ? new ScopeState.Drift(hour, drift.calls() + 1, drift.computedNanos() + signal.costNanos(),
                                drift.providerNanos() + signal.providerCostNanos())
                        : new ScopeState.Drift(hour, 1, signal.costNanos(), signal.providerCostNanos());
            }
        } else {
            switch (signal.granularity()) {
                case "MINUTE" -> minutes.put(signal.windowStartMs(), stats);
                case "HOUR" -> hours.put(signal.windowStartMs(), signal.costNanos());
                case "DAY" -> days.put(signal.windowStartMs(), signal.costNanos());
                default -> {
                }
            }
        }
        if (!minutes.isEmpty()) {
            minutes.headMap(minutes.lastKey() - minuteHorizon.toMillis(), false).clear();
        }
        hours.headMap(nowMs - hourHorizon.toMillis(), false).clear();
        days.headMap(nowMs - 32 * DAY_MS, false).clear();
        spendHours.headMap(nowMs - hourHorizon.toMillis(), false).clear();
        spendDays.headMap(nowMs - 32 * DAY_MS, false).clear();
        return new ScopeState(s.firstSignalMs(), Math.max(s.lastTrafficMs(), signal.timeMs()), nowMs, total, minutes,
                hours, days, contributors, contributorsDay, drift, spendHours, spendDays);
    }

    static long floor(long t, long size) {
        return t - Math.floorMod(t, size);
    }
}
