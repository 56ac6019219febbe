package dev.costmeter.alerting.control;

import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.AlertAction;
import dev.costmeter.contracts.AlertStatus;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.Severity;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.SwitchScope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns rule verdicts into alerts and switches, exactly once per crossing: a condition fires once
 * (FIRING alert, and a command when it holds a switch), stays silent while it keeps holding, and
 * resolves once (RESOLVED alert, and ALLOW when it held the last switch on its scope) when a rule
 * says it cleared or, on the wall-clock punctuation, when its period ended.
 *
 * <p>A tracker that remembers resolved conditions (the scope rules') keeps each one closed for
 * that long after it resolved: a finding of the same episode in that time (the same dedup key, or
 * a rolling window that still overlaps the resolved one's) raises no second FIRING for an alert-only
 * condition, so an episode pages once. This matters when alerting runs
 * behind: the wall-clock punctuation resolves a rolling condition (a spike) whose resolve-by passed
 * while its later events were still in the backlog, and those events used to fire the same dedup key
 * again (fault campaign, seed 30). A condition that holds a kill switch does fire again: the switch
 * must be re-issued, and a second page for a second BLOCK is right.
 *
 * <p>On its first punctuation after a start it re-issues, signed with the current key, every switch
 * its store holds that was last signed in the HMAC era (services no longer accept those). A task
 * scope's switch state is dropped once its switch is lifted: tasks end, and {@link ControlKeeper}
 * writes the tombstone that lets compaction drop the task from the control topic.
 */
public final class ConditionTracker {

    private final KeyValueStore<String, OpenCondition> open;
    private final KeyValueStore<String, SwitchState> switches;
    private final CommandIssuer issuer;
    private final Consumer<Emission> out;
    private final long rememberResolvedMs;
    private boolean hmacEraReissued;

    /** A tracker that forgets a condition as soon as it resolves (per-task rules: tasks end). */
    public ConditionTracker(KeyValueStore<String, OpenCondition> open, KeyValueStore<String, SwitchState> switches,
            CommandIssuer issuer, Consumer<Emission> out) {
        this(open, switches, issuer, out, java.time.Duration.ZERO);
    }

    public ConditionTracker(KeyValueStore<String, OpenCondition> open, KeyValueStore<String, SwitchState> switches,
            CommandIssuer issuer, Consumer<Emission> out, java.time.Duration rememberResolved) {
        this.open = open;
        this.switches = switches;
        this.issuer = issuer;
        this.out = out;
        this.rememberResolvedMs = rememberResolved.toMillis();
    }

    public boolean isOpen(String conditionId) {
        OpenCondition condition = open.get(conditionId);
        return condition != null && !condition.resolved();
    }

    /**
     * The condition holds: fire it if it is new; a rolling condition's resolve-by moves forward.
     *
     * @return true when it fired now (false when it was already open)
     */
    public boolean raise(Finding finding, long nowMs) {
        String id = finding.conditionId();
        OpenCondition existing = open.get(id);
        long resolveBy = finding.resolveBy().toEpochMilli();
        if (existing != null && existing.resolved()) {
            if ((finding.action() == null || finding.action() == SwitchAction.ALLOW) && sameEpisode(existing, finding)) {
                // It has paged and resolved: no second page while the same episode goes on.
                open.put(id, existing.continuedFrom(finding.periodStart().toEpochMilli()));
                return false;
            }
            existing = null; // a new episode, or it holds a switch: fire, and re-issue the switch
        }
        if (existing != null) {
            if (!finding.periodic() && resolveBy > existing.resolveByMs()) {
                open.put(id, existing.resolvingBy(resolveBy, finding.observed()));
            }
            return false;
        }
        String action = finding.action() == null ? "NONE" : finding.action().name();
        OpenCondition condition = new OpenCondition(finding.dedupKey(), finding.rule(), finding.scope(),
                finding.severity().name(), finding.summary(), finding.thresholdPct(), finding.observed(),
                finding.limit(), finding.unit(), finding.window(), finding.periodStart().toEpochMilli(), resolveBy,
                action);
        open.put(id, condition);
        out.accept(Emission.of(alert(condition, AlertStatus.FIRING, finding.summary(), nowMs, finding)));
        if (finding.action() != null && finding.action() != SwitchAction.ALLOW) {
            hold(id, finding, nowMs);
        }
        return true;
    }

    /**
     * Whether a finding continues a resolved condition: the same dedup key, or, for a rolling window
     * (a spike), a window that starts before the resolved one's window (as it last moved) ended. A
     * rolling condition that comes back after a quiet gap starts a new episode and pages.
     */
    private static boolean sameEpisode(OpenCondition resolved, Finding finding) {
        if (resolved.dedupKey().equals(finding.dedupKey())) {
            return true;
        }
        if (finding.periodic() || resolved.window() == null) {
            return false;
        }
        long windowMs;
        try {
            windowMs = java.time.Duration.parse(resolved.window()).toMillis();
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
        return finding.periodStart().toEpochMilli() < resolved.periodStartMs() + windowMs;
    }

    /** The condition no longer holds: resolve it if it was open. */
    public void clear(String conditionId, String why, long nowMs) {
        OpenCondition condition = open.get(conditionId);
        if (condition == null || condition.resolved()) {
            return;
        }
        if (rememberResolvedMs > 0) {
            open.put(conditionId, condition.resolvedAt(nowMs));
        } else {
            open.delete(conditionId);
        }
        out.accept(Emission.of(alert(condition, AlertStatus.RESOLVED, "Resolved (" + why + "): " + condition.summary(),
                nowMs, null)));
        if (!"NONE".equals(condition.action())) {
            release(conditionId, condition, why, nowMs);
        }
    }

    /** Wall-clock punctuation: resolves every condition whose period ended, quiet scopes included. */
    public void expire(long nowMs) {
        if (!hmacEraReissued) {
            reissueHmacEra(nowMs);
            hmacEraReissued = true;
        }
        List<KeyValue<String, OpenCondition>> due = new ArrayList<>();
        List<String> forget = new ArrayList<>();
        try (KeyValueIterator<String, OpenCondition> all = open.all()) {
            while (all.hasNext()) {
                KeyValue<String, OpenCondition> entry = all.next();
                if (entry.value.resolved()) {
                    if (entry.value.resolvedAtMs() + rememberResolvedMs <= nowMs) {
                        forget.add(entry.key);
                    }
                } else if (entry.value.resolveByMs() <= nowMs) {
                    due.add(entry);
                }
            }
        }
        forget.forEach(open::delete);
        // in the order they fired: a ladder resolves 50%, 70%, then the action
        due.sort(Comparator.comparingLong((KeyValue<String, OpenCondition> e) -> e.value.resolveByMs())
                .thenComparingInt(e -> e.value.thresholdPct() == null ? 0 : e.value.thresholdPct()));
        due.forEach(entry -> clear(entry.key, "period ended", nowMs));
    }

    private void hold(String conditionId, Finding finding, long nowMs) {
        SwitchState state = switchState(finding.scope());
        Map<String, SwitchState.Hold> holders = state.holders();
        holders.put(conditionId, new SwitchState.Hold(finding.action().name(), finding.fallbackModel(),
                finding.resolveBy().toEpochMilli(), finding.rule(), finding.summary()));
        reissue(finding.scope(), state, holders, nowMs, null, finding.rule());
    }

    private void release(String conditionId, OpenCondition condition, String why, long nowMs) {
        SwitchState state = switchState(condition.scope());
        Map<String, SwitchState.Hold> holders = state.holders();
        holders.remove(conditionId);
        reissue(condition.scope(), state, holders, nowMs, "Lifted (" + why + "): " + condition.summary(),
                condition.rule());
    }

    /** Issues the strongest remaining hold (BLOCK over DEGRADE, then the latest expiry) if it changed. */
    private void reissue(String scope, SwitchState state, Map<String, SwitchState.Hold> holders, long nowMs,
            String liftReason, String liftRule) {
        SwitchState.Hold strongest = strongest(holders);
        String action = strongest == null ? "ALLOW" : strongest.action();
        long expires = strongest == null ? -1 : strongest.expiresMs();
        if (action.equals(state.issuedAction()) && expires == state.issuedExpiresMs()) {
            if (strongest == null && isTask(scope)) {
                switches.delete(scope);
            } else {
                switches.put(scope, new SwitchState(state.lastSequence(), action, expires, holders, state.keyId()));
            }
            return;
        }
        long sequence = CommandIssuer.nextSequence(state.lastSequence(), nowMs);
        ControlCommand command = strongest == null
                ? issuer.issue(scope, SwitchAction.ALLOW, null, liftReason, nowMs, null, liftRule, sequence)
                : issuer.issue(scope, SwitchAction.valueOf(action), strongest.fallbackModel(), strongest.reason(), nowMs,
                        expires, strongest.rule(), sequence);
        if (strongest == null && isTask(scope)) {
            // Tasks end: keeping every lifted task's state would grow the store forever. The clock
            // term of the sequence keeps a later switch of the same task above this one.
            switches.delete(scope);
        } else {
            switches.put(scope, new SwitchState(sequence, action, expires, holders, issuer.keyId()));
        }
        out.accept(Emission.of(command));
    }

    /**
     * Re-issues, signed with the current key, each switch in force that this store last issued with
     * an HMAC signature (state without a key id): services ignore those now, so without this a
     * switch held across the upgrade would silently stop applying.
     */
    private void reissueHmacEra(long nowMs) {
        List<KeyValue<String, SwitchState>> due = new ArrayList<>();
        try (KeyValueIterator<String, SwitchState> all = switches.all()) {
            while (all.hasNext()) {
                KeyValue<String, SwitchState> entry = all.next();
                SwitchState s = entry.value;
                if (s.keyId() == null && !"ALLOW".equals(s.issuedAction()) && !s.holders().isEmpty()
                        && (s.issuedExpiresMs() < 0 || s.issuedExpiresMs() > nowMs)) {
                    due.add(entry);
                }
            }
        }
        for (KeyValue<String, SwitchState> entry : due) {
            SwitchState s = entry.value;
            SwitchState.Hold strongest = strongest(s.holders());
            long sequence = CommandIssuer.nextSequence(s.lastSequence(), nowMs);
            out.accept(Emission.of(issuer.issue(entry.key, SwitchAction.valueOf(strongest.action()), strongest.fallbackModel(),
                    strongest.reason(), nowMs, strongest.expiresMs() < 0 ? null : strongest.expiresMs(), strongest.rule(),
                    sequence)));
            switches.put(entry.key, new SwitchState(sequence, strongest.action(), strongest.expiresMs(), s.holders(),
                    issuer.keyId()));
        }
    }

    private static SwitchState.Hold strongest(Map<String, SwitchState.Hold> holders) {
        return holders.values().stream()
                .max((a, b) -> a.action().equals(b.action()) ? Long.compare(a.expiresMs(), b.expiresMs())
                        : "BLOCK".equals(a.action()) ? 1 : -1)
                .orElse(null);
    }

    private static boolean isTask(String scope) {
        return SwitchScope.parse(scope).map(s -> s.kind() == SwitchScope.Kind.TASK).orElse(false);
    }

    private SwitchState switchState(String scope) {
        SwitchState state = switches.get(scope);
        return state == null ? SwitchState.empty() : state;
    }

    private static Alert alert(OpenCondition c, AlertStatus status, String summary, long nowMs, Finding finding) {
        return Alert.newBuilder()
                .setAlertId(c.dedupKey() + "#" + status.name())
                .setDedupKey(c.dedupKey())
                .setRule(c.rule())
                .setScope(c.scope())
                .setStatus(status)
                .setSeverity(Severity.valueOf(c.severity()))
                .setSummary(summary)
                .setThresholdPct(c.thresholdPct())
                .setObservedValue(c.observed())
                .setLimitValue(c.limit())
                .setUnit(c.unit())
                .setWindow(c.window())
                .setPeriodStart(Instant.ofEpochMilli(c.periodStartMs()))
                .setPeriodEnd(Instant.ofEpochMilli(c.resolveByMs()))
                .setAction("NONE".equals(c.action()) ? AlertAction.NONE : AlertAction.valueOf(c.action()))
                .setTopContributors(finding == null ? List.of() : finding.top())
                .setEvidence(finding == null ? Map.of() : finding.evidence())
                .setEmittedAt(Instant.ofEpochMilli(nowMs))
                .build();
    }
}
