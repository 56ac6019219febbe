package dev.costmeter.client.killswitch;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.CommandSigner;
import dev.costmeter.schemas.control.KeyRing;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The switches in force, one map per scope kind keyed by the ids a check already has in hand, so
 * {@link #decide} does at most seven hash lookups and builds no strings. Written by one thread
 * (the consumer), read by any.
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

    /** A scope string split into its kind and the one or two ids a check is matched on. */
    record Scope(Kind kind, String first, String second) {
        enum Kind { TASK, END_USER, PROMPT, ROUTE, TENANT }

        static Optional<Scope> parse(String scope) {
            if (scope == null) {
                return Optional.empty();
            }
            int colon = scope.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            String rest = scope.substring(colon + 1);
            return switch (scope.substring(0, colon)) {
                case "task" -> single(Kind.TASK, rest);
                case "route" -> single(Kind.ROUTE, rest);
                case "tenant" -> single(Kind.TENANT, rest);
                case "end_user" -> pair(Kind.END_USER, rest, '/');
                case "prompt" -> pair(Kind.PROMPT, rest, '@');
                default -> Optional.empty();
            };
        }

        private static Optional<Scope> single(Kind kind, String id) {
            return id.isEmpty() ? Optional.empty() : Optional.of(new Scope(kind, id, null));
        }

        /** Splits at the first separator: tenant ids hold no '/', routes no '@' (prompt versions may). */
        private static Optional<Scope> pair(Kind kind, String rest, char separator) {
            int at = rest.indexOf(separator);
            if (at <= 0 || at == rest.length() - 1) {
                return Optional.empty();
            }
            return Optional.of(new Scope(kind, rest.substring(0, at), rest.substring(at + 1)));
        }
    }

    /** What applying one record did. */
    sealed interface Outcome permits Applied, Rejected {
    }

    /** The scope's switch is now {@code decision} ({@link Decision#ALLOW} when lifted). */
    record Applied(String scope, Decision decision) implements Outcome {
    }

    record Rejected(Rejection reason, String detail) implements Outcome {
    }

    private final KeyRing keys;
    private final Map<String, Entry> tasks = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Entry>> endUsers = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Entry>> prompts = new ConcurrentHashMap<>();
    private final Map<String, Entry> routes = new ConcurrentHashMap<>();
    private final Map<String, Entry> tenants = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    /** Highest sequence applied per scope; kept after a lift or tombstone so old commands cannot be replayed. */
    private final Map<String, Long> sequences = new HashMap<>();

    SwitchTable(KeyRing keys) {
        this.keys = keys;
    }

    /** Verifies and applies {@code command}, read under record key {@code key}, at wall-clock {@code nowMs}. */
    Outcome apply(String key, ControlCommand command, long nowMs) {
        Optional<Scope> parsed = Scope.parse(command.getScope());
        if (parsed.isEmpty()) {
            return new Rejected(Rejection.MALFORMED, "unknown scope syntax '" + command.getScope() + "'");
        }
        if (!command.getScope().equals(key)) {
            // The key is not signed; a tombstone under it must delete what the signed scope set.
            return new Rejected(Rejection.MALFORMED, "record key '" + key + "' is not the scope '" + command.getScope() + "'");
        }
        switch (CommandSigner.verify(command, keys)) {
            case UNKNOWN_KEY:
                return new Rejected(Rejection.UNKNOWN_KEY, "key id '" + command.getKeyId() + "' is not in " + keys);
            case BAD_SIGNATURE:
                return new Rejected(Rejection.BAD_SIGNATURE, "signature does not match for scope " + key);
            default:
                break;
        }
        Long last = sequences.get(key);
        if (last != null && command.getSequence() <= last) {
            return new Rejected(Rejection.REPLAYED, "sequence " + command.getSequence() + " is not above " + last + " for " + key);
        }
        sequences.put(key, command.getSequence());
        long expiresAt = command.getExpiresAt() == null ? Long.MAX_VALUE : command.getExpiresAt().toEpochMilli();
        if (expiresAt <= nowMs) {
            // Signed and newer, so it still ends whatever this scope had in force; it just sets nothing.
            put(parsed.get(), null);
            return new Rejected(Rejection.EXPIRED, "expired at " + command.getExpiresAt() + " for " + key);
        }
        Decision decision = decision(command);
        put(parsed.get(), decision == Decision.ALLOW ? null : new Entry(decision, expiresAt));
        return new Applied(key, decision);
    }

    /** A tombstone: {@code key}'s switch is removed. Its sequence is remembered. */
    Outcome remove(String key) {
        Optional<Scope> parsed = Scope.parse(key);
        if (parsed.isEmpty()) {
            return new Rejected(Rejection.MALFORMED, "tombstone for unknown scope syntax '" + key + "'");
        }
        put(parsed.get(), null);
        return new Applied(key, Decision.ALLOW);
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

    /** Sets ({@code entry} non-null) or clears a scope's switch, keeping the active count. */
    private void put(Scope scope, Entry entry) {
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
        }
    }

    private static Entry set(Map<String, Entry> map, String id, Entry entry) {
        return entry == null ? map.remove(id) : map.put(id, entry);
    }

    private static Entry setNested(Map<String, Map<String, Entry>> maps, Scope scope, Entry entry) {
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
