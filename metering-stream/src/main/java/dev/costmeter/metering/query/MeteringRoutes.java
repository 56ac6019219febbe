package dev.costmeter.metering.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.contracts.Granularity;
import dev.costmeter.contracts.RollupDimension;
import dev.costmeter.metering.MeteringTopology;
import dev.costmeter.metering.rollup.Dimension;
import dev.costmeter.metering.rollup.Granularities;
import dev.costmeter.runtime.auth.AccessDeniedException;
import dev.costmeter.runtime.auth.Caller;
import dev.costmeter.runtime.http.JsonResponse;
import dev.costmeter.runtime.http.JsonRoute;
import dev.costmeter.runtime.http.Request;
import dev.costmeter.runtime.query.QueryRouter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The query API. Any instance answers any question: a key query is forwarded to the instance that
 * owns the key, a top-N fans out to every instance and merges. While the owner is not known
 * (rebalance, restore), the answer is a 503 "retry", never a stack trace.
 *
 * <ul>
 *   <li>{@code GET /v1/spend?dimension=tenant&scope=acme&from=..&to=..&granularity=hour}</li>
 *   <li>{@code GET /v1/tasks/{task_id}}</li>
 *   <li>{@code GET /v1/top-tasks?day=YYYY-MM-DD&limit=10}</li>
 *   <li>{@code GET /v1/task-classes/{task_class}/models?from=YYYY-MM-DD&to=YYYY-MM-DD}</li>
 *   <li>{@code GET /v1/levers?dimension=tenant&scope=acme&from=..&to=..&granularity=day}</li>
 *   <li>{@code GET /v1/envelope?dimension=tenant&scope=acme&month=YYYY-MM&through=YYYY-MM-DD}</li>
 * </ul>
 *
 * <p>Who reads what ({@link Request#caller()}): an operator reads everything; a tenant-scoped caller
 * reads the spend of its tenant ({@code dimension=tenant}), its tasks (the tenant is read from the
 * stored task, never from the request) and its top tasks (filtered to its tenants; asking for
 * another tenant's is refused), and nothing that mixes tenants (spend by route, model, task class
 * or prompt version; the models of a kind of work). A refusal is a 403 with no data, and a task the
 * caller may not read is refused the same way whether it exists or not. The instance that answers
 * from its stores checks, so a forwarded query (which carries the caller's token) is checked by
 * the owner as well as by the instance asked first.
 */
public final class MeteringRoutes {

    private static final int MAX_LIMIT = 1_000;

    private final LocalQueries local;
    private final QueryRouter router;
    private final Supplier<Instant> clock;

    public MeteringRoutes(LocalQueries local, QueryRouter router, Supplier<Instant> clock) {
        this.local = local;
        this.router = router;
        this.clock = clock;
    }

    public Map<String, JsonRoute> routes() {
        Map<String, JsonRoute> routes = new LinkedHashMap<>();
        routes.put("/v1/spend", this::spend);
        routes.put("/v1/tasks", this::task);
        routes.put("/v1/top-tasks", this::topTasks);
        routes.put("/v1/task-classes", this::taskClassModels);
        routes.put("/v1/levers", this::levers);
        routes.put("/v1/envelope", this::envelope);
        return routes;
    }

    JsonResponse spend(Request request) {
        RollupDimension dimension = Dimension.parse(required(request, "dimension"));
        String scope = required(request, "scope");
        if (dimension == RollupDimension.TENANT) {
            request.caller().requireTenant(scope, "the spend of tenant '" + scope + "'");
        } else {
            request.caller().requireAllTenants("spend by " + dimension.name().toLowerCase(java.util.Locale.ROOT));
        }
        Granularity granularity = Granularities.parse(request.query("granularity").orElse("hour"));
        Instant to = request.query("to").map(v -> instant("to", v)).orElse(clock.get());
        Instant from = request.query("from").map(v -> instant("from", v)).orElse(to.minus(1, ChronoUnit.DAYS));
        String store = MeteringTopology.ROLLUP_STORES.get(granularity);
        return owned(request, store, Dimension.key(dimension, scope),
                () -> local.spend(dimension, scope, granularity, from, to));
    }

    /** What each lever saved for one scope: read and routed as {@link #spend} is; the default granularity is a day. */
    JsonResponse levers(Request request) {
        RollupDimension dimension = readableDimension(request, "the levers");
        String scope = required(request, "scope");
        Granularity granularity = Granularities.parse(request.query("granularity").orElse("day"));
        Instant to = request.query("to").map(v -> instant("to", v)).orElse(clock.get());
        Instant from = request.query("from").map(v -> instant("from", v)).orElse(to.minus(7, ChronoUnit.DAYS));
        return owned(request, MeteringTopology.ROLLUP_STORES.get(granularity), Dimension.key(dimension, scope),
                () -> local.levers(dimension, scope, granularity, from, to));
    }

    /**
     * The month's best / base / worst for one scope, through {@code through} (default: today for
     * this month, the last day for a past one; a day to come is refused).
     */
    JsonResponse envelope(Request request) {
        RollupDimension dimension = readableDimension(request, "the envelope");
        String scope = required(request, "scope");
        LocalDate today = LocalDate.ofInstant(clock.get(), ZoneOffset.UTC);
        java.time.YearMonth month = request.query("month").map(MeteringRoutes::month).orElse(java.time.YearMonth.from(today));
        LocalDate through = request.query("through").map(v -> date("through", v))
                .orElse(month.equals(java.time.YearMonth.from(today)) ? today : month.atEndOfMonth());
        if (!java.time.YearMonth.from(through).equals(month)) {
            throw new IllegalArgumentException("'through' (" + through + ") must be a day of 'month' (" + month + ")");
        }
        if (through.isAfter(today)) {
            throw new IllegalArgumentException("'through' (" + through + ") is after today (" + today + ", UTC)");
        }
        return owned(request, MeteringTopology.ROLLUP_STORES.get(Granularity.DAY), Dimension.key(dimension, scope),
                () -> local.envelope(dimension, scope, month, through));
    }

    /** The dimension asked for, if the caller may read {@code what} of that scope (as for spend). */
    private static RollupDimension readableDimension(Request request, String what) {
        RollupDimension dimension = Dimension.parse(required(request, "dimension"));
        String scope = required(request, "scope");
        if (dimension == RollupDimension.TENANT) {
            request.caller().requireTenant(scope, what + " of tenant '" + scope + "'");
        } else {
            request.caller().requireAllTenants(what + " by " + dimension.name().toLowerCase(java.util.Locale.ROOT));
        }
        return dimension;
    }

    private static java.time.YearMonth month(String value) {
        try {
            return java.time.YearMonth.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'month' must be YYYY-MM, not '" + value + "'");
        }
    }

    JsonResponse task(Request request) {
        List<String> segments = request.routeSegments();
        if (segments.size() != 1) {
            throw new IllegalArgumentException("Use /v1/tasks/{task_id}");
        }
        String taskId = segments.get(0);
        return owned(request, MeteringTopology.TASK_STORE, taskId, () -> readableTask(request.caller(), taskId));
    }

    /** The task's totals if {@code caller} may read its stored tenant; refused alike when it does not exist. */
    private Map<String, Object> readableTask(Caller caller, String taskId) {
        String what = "task '" + taskId + "'";
        Map<String, Object> task;
        try {
            task = local.task(taskId);
        } catch (NoSuchElementException e) {
            if (caller.isOperator()) {
                throw e;
            }
            // A tenant must not learn that another tenant's task id exists.
            throw new AccessDeniedException("this token may not read " + what);
        }
        Object tenant = task.get("tenant_id");
        caller.requireTenant(tenant == null ? null : tenant.toString(), what);
        return task;
    }

    /** Which tenants' tasks a top-N shows: the one asked for (if the caller may read it), else all the caller may read. */
    private static Predicate<String> visibleTenants(Request request) {
        Caller caller = request.caller();
        Optional<String> asked = request.query("tenant").filter(t -> !t.isBlank());
        if (asked.isPresent()) {
            caller.requireTenant(asked.get(), "the tasks of tenant '" + asked.get() + "'");
            return asked.get()::equals;
        }
        if (caller.isOperator()) {
            return tenant -> true;
        }
        if (caller.tenants().isEmpty()) {
            throw new AccessDeniedException("this token may not read any tenant's tasks");
        }
        return caller.tenants()::contains;
    }

    JsonResponse topTasks(Request request) {
        LocalDate day = request.query("day").map(v -> date("day", v)).orElse(LocalDate.ofInstant(clock.get(), ZoneOffset.UTC));
        int limit = request.query("limit").map(MeteringRoutes::limit).orElse(10);
        Predicate<String> tenants = visibleTenants(request);
        List<Map<String, Object>> tasks = new ArrayList<>(local.topTasks(day, limit, tenants));
        if (!request.localOnly()) {
            for (HostInfo host : router.allHostsFor(MeteringTopology.TASK_STORE)) {
                if (!router.isLocal(host)) {
                    JsonNode remote = router.forward(host, request);
                    remote.path("tasks").forEach(task -> tasks.add(asMap(task)));
                }
            }
            tasks.sort(Comparator.comparingLong((Map<String, Object> t) -> ((Number) t.get("cost_nanos")).longValue()).reversed()
                    .thenComparing(t -> String.valueOf(t.get("task_id"))));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("day", day.toString());
        json.put("tasks", tasks.subList(0, Math.min(limit, tasks.size())));
        return JsonResponse.ok(json);
    }

    /** The longest range of days a task-class query scans (one index scan per day). */
    static final int MAX_TASK_CLASS_DAYS = 400;

    JsonResponse taskClassModels(Request request) {
        List<String> segments = request.routeSegments();
        if (segments.size() != 2 || !segments.get(1).equals("models")) {
            throw new IllegalArgumentException("Use /v1/task-classes/{task_class}/models");
        }
        String taskClass = segments.get(0);
        request.caller().requireAllTenants("the models of a kind of work");
        LocalDate today = LocalDate.ofInstant(clock.get(), ZoneOffset.UTC);
        LocalDate to = request.query("to").map(v -> date("to", v)).orElse(today);
        LocalDate from = request.query("from").map(v -> date("from", v)).orElse(to.minusDays(29));
        if (to.isAfter(from.plusDays(MAX_TASK_CLASS_DAYS - 1))) {
            throw new IllegalArgumentException("At most " + MAX_TASK_CLASS_DAYS + " days from 'from' to 'to'");
        }
        TaskClassModels models = local.taskClassModelSums(taskClass, from, to);
        if (!request.localOnly()) {
            // Finished tasks live with the task class's owner, open tasks with their own task's: ask every instance.
            java.util.Set<HostInfo> hosts = new java.util.LinkedHashSet<>(router.allHostsFor(MeteringTopology.TASK_STORE));
            hosts.addAll(router.allHostsFor(MeteringTopology.TASK_CLASS_STORE));
            for (HostInfo host : hosts) {
                if (!router.isLocal(host)) {
                    models.addPart(router.forward(host, request));
                }
            }
        }
        return JsonResponse.ok(models.json(taskClass, from, to));
    }

    /** Answers locally when this instance owns {@code key} (or was asked for its local view), else forwards. */
    private JsonResponse owned(Request request, String store, String key, Supplier<Object> answer) {
        if (!request.localOnly()) {
            Optional<HostInfo> owner = router.ownerOf(store, key);
            if (owner.isPresent() && !router.isLocal(owner.get())) {
                return JsonResponse.ok(router.forward(owner.get(), request));
            }
        }
        return JsonResponse.ok(answer.get());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(JsonNode node) {
        return new com.fasterxml.jackson.databind.ObjectMapper().convertValue(node, LinkedHashMap.class);
    }

    private static String required(Request request, String name) {
        return request.query(name).filter(v -> !v.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("Missing query parameter '" + name + "'"));
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException again) {
                throw new IllegalArgumentException("'" + name + "' must be an ISO-8601 instant or date, not '" + value + "'");
            }
        }
    }

    private static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + name + "' must be a date YYYY-MM-DD, not '" + value + "'");
        }
    }

    private static int limit(String value) {
        try {
            int limit = Integer.parseInt(value);
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new NumberFormatException();
            }
            return limit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'limit' must be a whole number from 1 to " + MAX_LIMIT + ", not '" + value + "'");
        }
    }
}
