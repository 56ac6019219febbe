package dev.costmeter.cli.budgets;

import static com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.costmeter.cli.strictyaml.Scalar;
import java.util.List;
import java.util.Map;

/**
 * A budget file as written, bound by Jackson before any value is checked (see {@link BudgetFileParser}
 * for the rules). Every mapping keeps the keys it does not know (null when none), to be reported with
 * the other problems.
 */
record BudgetFileYaml(
        List<Policy> policies,
        @JsonAnySetter @JsonProperty(access = READ_ONLY) Map<String, Object> unknownKeys) {

    record Policy(
            Scalar scope,
            Scalar timeZone,
            List<Limit> limits,
            List<Scalar> warnThresholdsPct,
            Scalar action,
            Scalar degradeModel,
            Ceiling taskCeiling,
            Scalar enabled,
            @JsonAnySetter @JsonProperty(access = READ_ONLY) Map<String, Object> unknownKeys) {
    }

    record Limit(
            Scalar period,
            Scalar limitUsd,
            @JsonAnySetter @JsonProperty(access = READ_ONLY) Map<String, Object> unknownKeys) {
    }

    record Ceiling(
            Scalar maxCalls,
            Scalar maxRetries,
            Scalar maxTotalTokens,
            Scalar maxCostUsd,
            @JsonAnySetter @JsonProperty(access = READ_ONLY) Map<String, Object> unknownKeys) {

        /** Written as {@code task_ceiling: {}}: nothing to enforce. */
        boolean isEmpty() {
            return maxCalls == null && maxRetries == null && maxTotalTokens == null && maxCostUsd == null
                    && (unknownKeys == null || unknownKeys.isEmpty());
        }
    }
}
