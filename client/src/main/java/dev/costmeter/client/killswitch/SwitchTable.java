package dev.costmeter.client.killswitch;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.CommandJudge;
import dev.costmeter.schemas.control.HighWater;
import dev.costmeter.schemas.control.Judgement;
import dev.costmeter.schemas.control.SwitchScope;
import dev.costmeter.schemas.control.VerifyKeys;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The switches in force, one map per scope kind keyed by the ids a check already has in hand, so
 * {@link #decide} does at most seven hash lookups and builds no strings. Written by one thread
 * (the consumer), read by any.
 *
 * <p>Which record changes what is {@link CommandJudge}'s call (the same rules costctl and
 * alerting-stream apply): a newer command signed by a trusted key sets or lifts its scope's switch;
 * forged, replayed and malformed records change nothing; a tombstone never lifts a switch in force.
 * Each scope's {@link HighWater} is kept after a lift or a tombstone, so an older command cannot be
 * replayed later.
 *
 * <p>Precedence, most specific first: task, end user, prompt version, route, tenant. The most
 * specific scope holding a DEGRADE or BLOCK in force decides. An ALLOW command lifts its own
 * scope's switch only; it does not exempt the scope from a broader switch, so a task's cap being
 * lifted never punches through a tenant-wide block.
 */
final class SwitchTable {

    /** A switch in force until {@code expiresAtMs} (Long.MAX_VALUE when it does not expire). */
    private record Entry(Decision decision, long expiresAtMs) {
    }

    /** What applying one record did. */
    sealed interface Outcome permits Applied, Rejected, Cleaned, Unchanged {
    }

    /** The scope's switch is now {@code decision} ({@link Decision#ALLOW} when lifted). */
    record Applied(String scope, Decision decision) implements Outcome {
    }

    /** Nothing changed (EXPIRED: a newer command that expired on arrival ended the scope's switch). */
    record Rejected(Rejection reason, String detail) implements Outcome {
    }

    /**
     * A tombstone of a scope that was lifted or expired: its switch is forgotten, its high water kept.
     *
     * @param forgotten whether an (expired) switch was still held for the scope and is now dropped
     */
    record Cleaned(String scope, boolean forgotten) implements Outcome {
    }

    /** The scope's newest command read again (re-read after a restart, or a copy): nothing changed. */
    record Unchanged(String scope) implements Outcome {
    }

    private final CommandJudge judge;
    private final Map<String, Entry> tasks = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Entry>> endUsers = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Entry>> prompts = new ConcurrentHashMap<>();
    private final Map<String, Entry> routes = new ConcurrentHashMap<>();
    private final Map<String, Entry> tenants = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    /** Newest accepted command per scope; consumer thread only. */
    private final Map<String, HighWater> highWaters = new HashMap<>();

    SwitchTable(VerifyKeys keys) {
        this.judge = new CommandJudge(keys);
    }

    /**
     * Judges and applies one record read under {@code key}, at wall-clock {@code nowMs}.
     *
     * @param command the decoded value, or null for a tombstone
     */
    Outcome apply(String key, ControlCommand command, long nowMs) {
        return apply(key, judge.judge(key, command, key == null ? null : highWaters.get(key), nowMs));
    }

    /** A record under {@code key} that could not be decoded. */
    Outcome undecodable(String key, String detail) {
        return apply(key, CommandJudge.undecodable(detail, null));
    }

    /**
     * Starts from what an earlier run accepted, before anything is read: each kept command is judged
     * again (a key no longer trusted drops it, an expired one sets nothing), and every high water is
     * kept, so an older command read later is a replay and a switch whose records compaction
     * replaced by a replay is still known.
     */
    void restore(Map<String, HighWater> kept, long nowMs) {
        kept.forEach((scope, water) -> {
            if (water.command() != null) {
                Judgement judgement = judge.judge(scope, water.command(), null, nowMs);
                if (judgement.kind() == Judgement.Kind.APPLIED || judgement.kind() == Judgement.Kind.EXPIRED) {
                    apply(scope, judgement);
                    return;
                }
            }
            highWaters.put(scope, water.withoutCommand());
        });
    }

    /** The newest accepted command per scope (a copy); consumer thread only. */
    Map<String, HighWater> highWaters() {
        return new HashMap<>(highWaters);
    }

    private Outcome apply(String key, Judgement judgement) {
        return switch (judgement.kind()) {
            case REFUSED -> new Rejected(Rejection.of(judgement.refusal()),
                    judgement.detail() + " (scope " + CommandJudge.printable(key) + ")");
            case UNCHANGED -> new Unchanged(key);
            case CLEANED -> {
                remember(key, judgement.next());
                yield new Cleaned(key, put(SwitchScope.parse(key).orElseThrow(), null));
            }
            case EXPIRED -> {
                remember(key, judgement.next());
                // Signed and newer, so it still ends whatever this scope had in force; it just sets nothing.
                put(SwitchScope.parse(key).orElseThrow(), null);
                yield new Rejected(Rejection.EXPIRED, judgement.detail() + " (scope " + key + ")");
            }
            case APPLIED -> {
                remember(key, judgement.next());
                ControlCommand command = judgement.next().command();
                Decision decision = decision(command);
                long expiresAt = command.getExpiresAt() == null ? Long.MAX_VALUE : command.getExpiresAt().toEpochMilli();
                put(SwitchScope.parse(key).orElseThrow(), decision == Decision.ALLOW ? null : new Entry(decision, expiresAt));
                yield new Applied(key, decision);
            }
        };
    }

    private void remember(String key, HighWater next) {
        if (next != null) {
            highWaters.put(key, next);
        }
    }

    /** The decision for a call; any argument may be null when the call has no such attribute. */
    Decision decide(String tenant, String route, String promptVersion, String taskId, String endUser, long nowMs) {
        if (active.get() == 0) {
            return Decision.ALLOW;
        }
        Entry entry;
        if (taskId != null && inForce(entry = tasks.get(taskId), nowMs)) {
            return entry.decision();
        }
        if (tenant != null && endUser != null && inForce(entry = nested(endUsers, tenant, endUser), nowMs)) {
            return entry.decision();
        }
        if (route != null && promptVersion != null && inForce(entry = nested(prompts, route, promptVersion), nowMs)) {
            return entry.decision();
        }
        if (route != null && inForce(entry = routes.get(route), nowMs)) {
            return entry.decision();
        }
        if (tenant != null && inForce(entry = tenants.get(tenant), nowMs)) {
            return entry.decision();
        }
        return Decision.ALLOW;
    }

    int active() {
        return active.get();
    }

    private static boolean inForce(Entry entry, long nowMs) {
        return entry != null && nowMs < entry.expiresAtMs();
    }

    private static Entry nested(Map<String, Map<String, Entry>> maps, String outer, String inner) {
        Map<String, Entry> map = maps.get(outer);
        return map == null ? null : map.get(inner);
    }

    private static Decision decision(ControlCommand command) {
        SwitchAction action = command.getAction();
        return switch (action) {
            case ALLOW -> Decision.ALLOW;
            case DEGRADE -> new Decision.Degrade(command.getFallbackModel(), command.getReason(), command.getScope());
            case BLOCK -> new Decision.Block(command.getReason(), command.getScope());
        };
    }

    /** Sets ({@code entry} non-null) or clears a scope's switch, keeping the active count; true when one was cleared. */
    private boolean put(SwitchScope scope, Entry entry) {
        Entry previous = switch (scope.kind()) {
            case TASK -> set(tasks, scope.first(), entry);
            case ROUTE -> set(routes, scope.first(), entry);
            case TENANT -> set(tenants, scope.first(), entry);
            case END_USER -> setNested(endUsers, scope, entry);
            case PROMPT -> setNested(prompts, scope, entry);
        };
        if (previous == null && entry != null) {
            active.incrementAndGet();
        } else if (previous != null && entry == null) {
            active.decrementAndGet();
            return true;
        }
        return false;
    }

    private static Entry set(Map<String, Entry> map, String id, Entry entry) {
        return entry == null ? map.remove(id) : map.put(id, entry);
    }

    private static Entry setNested(Map<String, Map<String, Entry>> maps, SwitchScope scope, Entry entry) {
        if (entry != null) {
            return maps.computeIfAbsent(scope.first(), k -> new ConcurrentHashMap<>()).put(scope.second(), entry);
        }
        Map<String, Entry> map = maps.get(scope.first());
        if (map == null) {
            return null;
        }
        Entry previous = map.remove(scope.second());
        if (map.isEmpty()) {
            maps.remove(scope.first());
        }
        return previous;
    }
}
