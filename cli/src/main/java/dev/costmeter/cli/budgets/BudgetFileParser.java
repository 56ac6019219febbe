package dev.costmeter.cli.budgets;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.costmeter.cli.money.Money;
import dev.costmeter.cli.scope.Scopes;
import dev.costmeter.contracts.BudgetAction;
import dev.costmeter.contracts.BudgetPeriod;
import dev.costmeter.contracts.BudgetPolicy;
import dev.costmeter.contracts.PeriodLimit;
import dev.costmeter.contracts.TaskCeiling;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a budget file (YAML, the format of {@code alerting-stream/src/main/resources/budgets.example.yaml})
 * and validates all of it before anything is published, collecting every problem with the policy
 * index and the field at fault. Amounts are USD decimal strings converted exactly to nano-USD; a
 * YAML float is refused because it would pass through a binary floating-point value.
 */
public final class BudgetFileParser {

    private static final Set<String> POLICY_KEYS = Set.of("scope", "time_zone", "limits", "warn_thresholds_pct", "action",
            "degrade_model", "task_ceiling", "enabled");
    private static final Set<String> LIMIT_KEYS = Set.of("period", "limit_usd");
    private static final Set<String> CEILING_KEYS = Set.of("max_calls", "max_retries", "max_total_tokens", "max_cost_usd");
    /** alerting-stream looks a task's ceiling up under these scopes only (Budgets.taskCeiling). */
    private static final List<String> CEILING_SCOPES = List.of("task_default:", "task_class:", "tenant:");
    private static final List<Integer> DEFAULT_WARN = List.of(50, 70);

    private final YAMLMapper yaml = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    /**
     * Parses and validates {@code text}; every policy is stamped with {@code updatedAt} and {@code updatedBy}.
     *
     * @throws BudgetFileException listing every problem found
     */
    public List<BudgetPolicy> parse(String text, Instant updatedAt, String updatedBy) throws BudgetFileException {
        JsonNode root;
        try {
            root = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BudgetFileException(List.of("not valid YAML: " + e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new BudgetFileException(List.of("the budget file must be a mapping with the key policies"));
        }
        Errors errors = new Errors();
        unknownKeys(root, Set.of("policies"), "", errors);
        List<BudgetPolicy> policies = new ArrayList<>();
        JsonNode list = root.get("policies");
        if (list == null) {
            errors.add("", "missing required field 'policies'");
        } else if (!list.isArray() || list.isEmpty()) {
            errors.add("policies", "must be a non-empty list of budget policies");
        } else {
            Map<String, Integer> firstIndexOfScope = new HashMap<>();
            for (int i = 0; i < list.size(); i++) {
                BudgetPolicy policy = policy(i, list.get(i), updatedAt, updatedBy, errors);
                if (policy == null) {
                    continue;
                }
                Integer first = firstIndexOfScope.putIfAbsent(policy.getScope(), i);
                if (first != null) {
                    errors.add("policies[" + i + "]", "duplicate of policies[" + first + "] (" + policy.getScope() + ")");
                } else {
                    policies.add(policy);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new BudgetFileException(errors.lines);
        }
        return policies;
    }

    private static BudgetPolicy policy(int index, JsonNode node, Instant updatedAt, String updatedBy, Errors errors) {
        String at = "policies[" + index + "]";
        if (!node.isObject()) {
            errors.add(at, "must be a mapping of fields (scope, limits, action, ...)");
            return null;
        }
        int before = errors.size();
        unknownKeys(node, POLICY_KEYS, at, errors);
        String scope = scope(node, at, errors);
        String timeZone = timeZone(node, at, errors);
        List<PeriodLimit> limits = limits(node.get("limits"), at + ".limits", errors);
        List<Integer> warn = warnThresholds(node.get("warn_thresholds_pct"), at + ".warn_thresholds_pct", errors);
        BudgetAction action = action(node, at, errors);
        String degradeModel = text(node, "degrade_model", at, errors);
        TaskCeiling ceiling = ceiling(node.get("task_ceiling"), at + ".task_ceiling", errors);
        Boolean enabled = enabled(node, at, errors);
        if (errors.size() > before) {
            return null;
        }
        crossFieldChecks(at, scope, limits, action, degradeModel, ceiling, errors);
        if (errors.size() > before) {
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
            String degradeModel, TaskCeiling ceiling, Errors errors) {
        if (limits.isEmpty() && ceiling == null) {
            errors.add(at, "has neither limits nor task_ceiling, so it would govern nothing");
        }
        if (action == BudgetAction.DEGRADE && degradeModel == null) {
            errors.add(at, "action DEGRADE needs degrade_model (the cheaper model to switch to)");
        }
        if (action != BudgetAction.DEGRADE && degradeModel != null) {
            errors.add(at + ".degrade_model", "is only used when action is DEGRADE, not " + action);
        }
        if (scope.startsWith("task_class:") && action != BudgetAction.ALERT) {
            errors.add(at + ".action", "a task_class: policy can only ALERT (no kill switch can name a task class), not " + action);
        }
        if (scope.startsWith("task_default:") && !limits.isEmpty()) {
            errors.add(at + ".limits", "a task_default: policy holds per-task ceilings (task_ceiling), not period limits");
        }
        if (ceiling != null && CEILING_SCOPES.stream().noneMatch(scope::startsWith)) {
            errors.add(at + ".task_ceiling", "only task_default:, task_class: and tenant: policies carry per-task ceilings");
        }
    }

    private static String scope(JsonNode node, String at, Errors errors) {
        JsonNode value = node.get("scope");
        if (value == null || value.isNull()) {
            errors.add(at, "missing required field 'scope'");
            return null;
        }
        if (!value.isTextual()) {
            errors.add(at + ".scope", "must be a string such as tenant:acme");
            return null;
        }
        Optional<String> problem = Scopes.budgetProblem(value.asText());
        problem.ifPresent(p -> errors.add(at + ".scope", p));
        return problem.isPresent() ? null : value.asText();
    }

    private static String timeZone(JsonNode node, String at, Errors errors) {
        JsonNode value = node.get("time_zone");
        if (value == null || value.isNull()) {
            return "UTC";
        }
        try {
            return ZoneId.of(value.asText()).getId();
        } catch (DateTimeException e) {
            errors.add(at + ".time_zone", quote(value.asText()) + " is not an IANA time zone such as UTC or Europe/Berlin");
            return null;
        }
    }

    private static List<PeriodLimit> limits(JsonNode node, String at, Errors errors) {
        List<PeriodLimit> limits = new ArrayList<>();
        if (node == null || node.isNull()) {
            return limits;
        }
        if (!node.isArray()) {
            errors.add(at, "must be a list of { period, limit_usd }");
            return limits;
        }
        Map<BudgetPeriod, Integer> seen = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String here = at + "[" + i + "]";
            JsonNode limit = node.get(i);
            if (!limit.isObject()) {
                errors.add(here, "must be a mapping { period, limit_usd }");
                continue;
            }
            unknownKeys(limit, LIMIT_KEYS, here, errors);
            BudgetPeriod period = enumValue(limit, "period", BudgetPeriod.class, here, errors);
            Long nanos = usd(limit, "limit_usd", here, errors);
            if (period == null || nanos == null) {
                continue;
            }
            Integer first = seen.putIfAbsent(period, i);
            if (first != null) {
                errors.add(here, "a second " + period + " limit (" + at.substring(at.lastIndexOf('.') + 1) + "[" + first
                        + "] already caps " + period + ")");
                continue;
            }
            limits.add(new PeriodLimit(period, nanos));
        }
        return limits;
    }

    private static List<Integer> warnThresholds(JsonNode node, String at, Errors errors) {
        if (node == null || node.isNull()) {
            return DEFAULT_WARN;
        }
        List<Integer> values = new ArrayList<>();
        boolean valid = node.isArray();
        if (valid) {
            for (JsonNode value : node) {
                if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1 || value.asInt() > 99
                        || (!values.isEmpty() && value.asInt() <= values.get(values.size() - 1))) {
                    valid = false;
                    break;
                }
                values.add(value.asInt());
            }
        }
        if (!valid) {
            errors.add(at, "must be a list of whole percentages from 1 to 99 in increasing order, such as [50, 70], not "
                    + node.toString().replace(",", ", "));
            return null;
        }
        return values;
    }

    private static BudgetAction action(JsonNode node, String at, Errors errors) {
        if (node.get("action") == null || node.get("action").isNull()) {
            return BudgetAction.ALERT;
        }
        return enumValue(node, "action", BudgetAction.class, at, errors);
    }

    private static TaskCeiling ceiling(JsonNode node, String at, Errors errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || node.isEmpty()) {
            errors.add(at, "must be a mapping with at least one of max_calls, max_retries, max_total_tokens, max_cost_usd");
            return null;
        }
        int before = errors.size();
        unknownKeys(node, CEILING_KEYS, at, errors);
        Long calls = positiveWhole(node, "max_calls", Integer.MAX_VALUE, at, errors);
        Long retries = positiveWhole(node, "max_retries", Integer.MAX_VALUE, at, errors);
        Long tokens = positiveWhole(node, "max_total_tokens", Long.MAX_VALUE, at, errors);
        Long cost = usd(node, "max_cost_usd", at, errors);
        if (errors.size() > before) {
            return null;
        }
        return new TaskCeiling(calls == null ? null : calls.intValue(), retries == null ? null : retries.intValue(), tokens, cost);
    }

    private static Boolean enabled(JsonNode node, String at, Errors errors) {
        JsonNode value = node.get("enabled");
        if (value == null || value.isNull()) {
            return true;
        }
        if (!value.isBoolean()) {
            errors.add(at + ".enabled", "must be true or false, not " + quote(value.asText()));
            return null;
        }
        return value.asBoolean();
    }

    /** A positive USD amount in nano-USD, or null when absent (or invalid, with the error recorded). */
    private static Long usd(JsonNode node, String field, String at, Errors errors) {
        JsonNode value = node.get(field);
        String here = at + "." + field;
        if (value == null || value.isNull()) {
            if (field.equals("limit_usd")) {
                errors.add(at, "missing required field 'limit_usd'");
            }
            return null;
        }
        if (value.isFloatingPointNumber()) {
            errors.add(here, "must be a quoted decimal string such as \"250.00\", not the YAML number " + value.asText());
            return null;
        }
        if (!value.isTextual() && !value.isIntegralNumber()) {
            errors.add(here, "must be a quoted decimal string such as \"250.00\"");
            return null;
        }
        String text = value.asText().strip();
        if (text.startsWith("-")) {
            errors.add(here, "negative amount " + quote(value.asText()));
            return null;
        }
        long nanos;
        try {
            nanos = Money.parseUsd(text);
        } catch (IllegalArgumentException e) {
            errors.add(here, e.getMessage().replace("\"2.50\"", "\"250.00\""));
            return null;
        }
        if (nanos == 0) {
            errors.add(here, "must be above zero, not " + quote(value.asText()));
            return null;
        }
        return nanos;
    }

    private static Long positiveWhole(JsonNode node, String field, long max, String at, Errors errors) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong() && value.asLong() > 0 && value.asLong() <= max) {
            return value.asLong();
        }
        errors.add(at + "." + field, "must be a whole number from 1 to " + max + ", not " + quote(value.asText()));
        return null;
    }

    private static <E extends Enum<E>> E enumValue(JsonNode node, String field, Class<E> type, String at, Errors errors) {
        JsonNode value = node.get(field);
        String names = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        if (value == null || value.isNull()) {
            errors.add(at, "missing required field '" + field + "'");
            return null;
        }
        try {
            return Enum.valueOf(type, value.asText().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(at + "." + field, "must be one of " + names + ", not " + quote(value.asText()));
            return null;
        }
    }

    private static String text(JsonNode node, String field, String at, Errors errors) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            errors.add(at + "." + field, "must be a non-empty string");
            return null;
        }
        return value.asText().strip();
    }

    private static void unknownKeys(JsonNode node, Set<String> allowed, String at, Errors errors) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                errors.add(at, "unknown key '" + name + "'");
            }
        }
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    /** Problems in file order, each prefixed with where it is. */
    private static final class Errors {
        private final List<String> lines = new ArrayList<>();

        void add(String at, String problem) {
            lines.add(at.isEmpty() ? problem : at + ": " + problem);
        }

        int size() {
            return lines.size();
        }

        boolean isEmpty() {
            return lines.isEmpty();
        }
    }
}
