package dev.costmeter.cli.budgets;

import static dev.costmeter.cli.strictyaml.Problems.at;
import static dev.costmeter.cli.strictyaml.ScalarRules.quote;

import dev.costmeter.cli.budgets.BudgetFileYaml.Ceiling;
import dev.costmeter.cli.budgets.BudgetFileYaml.Limit;
import dev.costmeter.cli.budgets.BudgetFileYaml.Policy;
import dev.costmeter.cli.scope.Scopes;
import dev.costmeter.cli.strictyaml.Problems;
import dev.costmeter.cli.strictyaml.Scalar;
import dev.costmeter.cli.strictyaml.Scalar.Kind;
import dev.costmeter.cli.strictyaml.ScalarRules;
import dev.costmeter.cli.strictyaml.ScalarRules.MoneyField;
import dev.costmeter.cli.strictyaml.StrictYaml;
import dev.costmeter.contracts.BudgetAction;
import dev.costmeter.contracts.BudgetPeriod;
import dev.costmeter.contracts.BudgetPolicy;
import dev.costmeter.contracts.PeriodLimit;
import dev.costmeter.contracts.TaskCeiling;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a budget file (YAML, the format of {@code alerting-stream/src/main/resources/budgets.example.yaml})
 * and validates all of it before anything is published, collecting every problem with the policy
 * index and the field at fault. Amounts are USD decimal strings converted exactly to nano-USD; a
 * YAML float is refused because it would pass through a binary floating-point value.
 */
public final class BudgetFileParser {

    /** alerting-stream looks a task's ceiling up under these scopes only (Budgets.taskCeiling). */
    private static final List<String> CEILING_SCOPES = List.of("task_default:", "task_class:", "tenant:");
    private static final List<Integer> DEFAULT_WARN = List.of(50, 70);
    private static final String LIMITS = "limits";

    private static final StrictYaml YAML = new StrictYaml("the budget file must be a mapping with the key policies", Map.of(
            Policy.class, "must be a mapping of fields (scope, limits, action, ...)",
            Limit.class, "must be a mapping { period, limit_usd }",
            Ceiling.class, "must be a mapping with at least one of max_calls, max_retries, max_total_tokens, max_cost_usd"));

    /**
     * Parses and validates {@code text}; every policy is stamped with {@code updatedAt} and {@code updatedBy}.
     *
     * @throws BudgetFileException listing every problem found
     */
    public List<BudgetPolicy> parse(String text, Instant updatedAt, String updatedBy) throws BudgetFileException {
        Problems problems = new Problems();
        Optional<BudgetFileYaml> file = YAML.read(text, BudgetFileYaml.class, problems);
        List<BudgetPolicy> policies = file.map(f -> policies(f, updatedAt, updatedBy, problems)).orElse(List.of());
        if (!problems.isEmpty()) {
            throw new BudgetFileException(problems.lines());
        }
        return policies;
    }

    private static List<BudgetPolicy> policies(BudgetFileYaml file, Instant updatedAt, String updatedBy, Problems problems) {
        problems.unknownKeys("", file.unknownKeys());
        List<BudgetPolicy> policies = new ArrayList<>();
        if (file.policies() == null) {
            problems.missing("", "policies");
            return policies;
        }
        if (file.policies().isEmpty()) {
            problems.add("policies", "must be a non-empty list of budget policies");
            return policies;
        }
        Map<String, Integer> firstIndexOfScope = new HashMap<>();
        for (int i = 0; i < file.policies().size(); i++) {
            String at = at("policies", i);
            BudgetPolicy policy = policy(file.policies().get(i), at, updatedAt, updatedBy, problems);
            if (policy == null) {
                continue;
            }
            Integer first = firstIndexOfScope.putIfAbsent(policy.getScope(), i);
            if (first != null) {
                problems.add(at, "duplicate of " + at("policies", first) + " (" + policy.getScope() + ")");
            } else {
                policies.add(policy);
            }
        }
        return policies;
    }

    private static BudgetPolicy policy(Policy policy, String at, Instant updatedAt, String updatedBy, Problems problems) {
        if (policy == null) {
            problems.add(at, "must be a mapping of fields (scope, limits, action, ...)");
            return null;
        }
        int before = problems.count();
        problems.unknownKeys(at, policy.unknownKeys());
        String scope = scope(policy.scope(), at, problems);
        String timeZone = timeZone(policy.timeZone(), at(at, "time_zone"), problems);
        List<PeriodLimit> limits = limits(policy.limits(), at(at, LIMITS), problems);
        List<Integer> warn = warnThresholds(policy.warnThresholdsPct(), at(at, "warn_thresholds_pct"), problems);
        BudgetAction action = policy.action() == null ? BudgetAction.ALERT
                : ScalarRules.enumValue(policy.action(), BudgetAction.class, at(at, "action"), problems);
        String degradeModel = ScalarRules.nonBlankText(policy.degradeModel(), "must be a non-empty string",
                at(at, "degrade_model"), problems);
        TaskCeiling ceiling = ceiling(policy.taskCeiling(), at(at, "task_ceiling"), problems);
        Boolean enabled = enabled(policy.enabled(), at(at, "enabled"), problems);
        if (problems.count() > before) {
            return null;
        }
        crossFieldChecks(at, scope, limits, action, degradeModel, ceiling, problems);
        if (problems.count() > before) {
            return null;
        }
        return BudgetPolicy.newBuilder()
                .setScope(scope)
                .setLimits(limits)
                .setTimeZone(timeZone)
                .setTaskCeiling(ceiling)
                .setWarnThresholdsPct(warn)
                .setAction(action)
                .setDegradeModel(degradeModel)
                .setEnabled(enabled)
                .setUpdatedAt(updatedAt)
                .setUpdatedBy(updatedBy)
                .build();
    }

    /** Rules that make a policy mean what alerting-stream will do with it. */
    private static void crossFieldChecks(String at, String scope, List<PeriodLimit> limits, BudgetAction action,
            String degradeModel, TaskCeiling ceiling, Problems problems) {
        if (limits.isEmpty() && ceiling == null) {
            problems.add(at, "has neither limits nor task_ceiling, so it would govern nothing");
        }
        if (action == BudgetAction.DEGRADE && degradeModel == null) {
            problems.add(at, "action DEGRADE needs degrade_model (the cheaper model to switch to)");
        }
        if (action != BudgetAction.DEGRADE && degradeModel != null) {
            problems.add(at(at, "degrade_model"), "is only used when action is DEGRADE, not " + action);
        }
        if (scope.startsWith("task_class:") && action != BudgetAction.ALERT) {
            problems.add(at(at, "action"),
                    "a task_class: policy can only ALERT (no kill switch can name a task class), not " + action);
        }
        if (scope.startsWith("task_default:") && !limits.isEmpty()) {
            problems.add(at(at, LIMITS), "a task_default: policy holds per-task ceilings (task_ceiling), not period limits");
        }
        if (ceiling != null && CEILING_SCOPES.stream().noneMatch(scope::startsWith)) {
            problems.add(at(at, "task_ceiling"), "only task_default:, task_class: and tenant: policies carry per-task ceilings");
        }
    }

    private static String scope(Scalar value, String at, Problems problems) {
        if (value == null) {
            problems.missing(at, "scope");
            return null;
        }
        if (!value.is(Kind.STRING)) {
            problems.add(at(at, "scope"), "must be a string such as tenant:acme");
            return null;
        }
        Optional<String> problem = Scopes.budgetProblem(value.text());
        problem.ifPresent(p -> problems.add(at(at, "scope"), p));
        return problem.isPresent() ? null : value.text();
    }

    private static String timeZone(Scalar value, String at, Problems problems) {
        if (value == null) {
            return "UTC";
        }
        try {
            return ZoneId.of(value.text()).getId();
        } catch (DateTimeException e) {
            problems.add(at, quote(value.text()) + " is not an IANA time zone such as UTC or Europe/Berlin");
            return null;
        }
    }

    private static List<PeriodLimit> limits(List<Limit> written, String at, Problems problems) {
        List<PeriodLimit> limits = new ArrayList<>();
        if (written == null) {
            return limits;
        }
        Map<BudgetPeriod, Integer> seen = new HashMap<>();
        for (int i = 0; i < written.size(); i++) {
            String here = at(at, i);
            Limit limit = written.get(i);
            if (limit == null) {
                problems.add(here, "must be a mapping { period, limit_usd }");
                continue;
            }
            problems.unknownKeys(here, limit.unknownKeys());
            BudgetPeriod period = ScalarRules.requiredEnum(limit.period(), BudgetPeriod.class, here, "period", problems);
            Long nanos = amount(limit.limitUsd(), at(here, "limit_usd"), problems);
            problems.requirePresent(here, "limit_usd", limit.limitUsd());
            if (period == null || nanos == null) {
                continue;
            }
            Integer first = seen.putIfAbsent(period, i);
            if (first != null) {
                problems.add(here, "a second " + period + " limit (" + at(LIMITS, first) + " already caps " + period + ")");
                continue;
            }
            limits.add(new PeriodLimit(period, nanos));
        }
        return limits;
    }

    private static List<Integer> warnThresholds(List<Scalar> written, String at, Problems problems) {
        if (written == null) {
            return DEFAULT_WARN;
        }
        List<Integer> values = new ArrayList<>();
        for (Scalar value : written) {
            Integer pct = value != null && value.is(Kind.INTEGER) ? percentage(value.text()) : null;
            if (pct == null || (!values.isEmpty() && pct <= values.get(values.size() - 1))) {
                problems.add(at, "must be a list of whole percentages from 1 to 99 in increasing order, such as [50, 70], not "
                        + ScalarRules.flowList(written));
                return null;
            }
            values.add(pct);
        }
        return values;
    }

    private static Integer percentage(String whole) {
        try {
            int pct = Integer.parseInt(whole);
            return pct >= 1 && pct <= 99 ? pct : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static TaskCeiling ceiling(Ceiling ceiling, String at, Problems problems) {
        if (ceiling == null) {
            return null;
        }
        if (ceiling.isEmpty()) {
            problems.add(at, "must be a mapping with at least one of max_calls, max_retries, max_total_tokens, max_cost_usd");
            return null;
        }
        int before = problems.count();
        problems.unknownKeys(at, ceiling.unknownKeys());
        Long calls = ScalarRules.wholeNumber(ceiling.maxCalls(), Integer.MAX_VALUE, at(at, "max_calls"), problems);
        Long retries = ScalarRules.wholeNumber(ceiling.maxRetries(), Integer.MAX_VALUE, at(at, "max_retries"), problems);
        Long tokens = ScalarRules.wholeNumber(ceiling.maxTotalTokens(), Long.MAX_VALUE, at(at, "max_total_tokens"), problems);
        Long cost = amount(ceiling.maxCostUsd(), at(at, "max_cost_usd"), problems);
        if (problems.count() > before) {
            return null;
        }
        return new TaskCeiling(calls == null ? null : calls.intValue(), retries == null ? null : retries.intValue(), tokens, cost);
    }

    private static Boolean enabled(Scalar value, String at, Problems problems) {
        if (value == null) {
            return true;
        }
        if (!value.is(Kind.BOOLEAN)) {
            problems.add(at, "must be true or false, not " + quote(value.text()));
            return null;
        }
        return Boolean.parseBoolean(value.text());
    }

    /** A budget's amount: exact nano-USD above zero. */
    private static Long amount(Scalar value, String at, Problems problems) {
        Long nanos = ScalarRules.usdNanos(value, MoneyField.AMOUNT, at, problems);
        if (nanos != null && nanos == 0) {
            problems.add(at, "must be above zero, not " + quote(value.text()));
            return null;
        }
        return nanos;
    }
}
