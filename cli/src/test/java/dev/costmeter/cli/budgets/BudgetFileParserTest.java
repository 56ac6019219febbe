package dev.costmeter.cli.budgets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.costmeter.contracts.BudgetAction;
import dev.costmeter.contracts.BudgetPeriod;
import dev.costmeter.contracts.BudgetPolicy;
import dev.costmeter.contracts.PeriodLimit;
import dev.costmeter.contracts.TaskCeiling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetFileParserTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private final BudgetFileParser parser = new BudgetFileParser();

    @Test
    void shouldParseAlertingStreamsExampleFileIntoExactNanos() throws Exception {
        List<BudgetPolicy> policies = parser.parse(
                Files.readString(Path.of("..", "alerting-stream", "src", "main", "resources", "budgets.example.yaml")),
                NOW, "operator:alice");

        assertThat(policies).extracting(BudgetPolicy::getScope).containsExactly("tenant:acme", "route:premium-chat",
                "end_user:acme/u-123", "prompt:summarize@v7", "task_class:eval", "task_default:agent");
        BudgetPolicy acme = policies.get(0);
        assertThat(acme.getTimeZone()).isEqualTo("Europe/Berlin");
        assertThat(acme.getLimits()).containsExactly(new PeriodLimit(BudgetPeriod.DAY, 250_000_000_000L),
                new PeriodLimit(BudgetPeriod.MONTH, 5_000_000_000_000L));
        assertThat(acme.getWarnThresholdsPct()).containsExactly(50, 70);
        assertThat(acme.getAction()).isEqualTo(BudgetAction.BLOCK);
        assertThat(acme.getUpdatedAt()).isEqualTo(NOW);
        assertThat(acme.getUpdatedBy()).isEqualTo("operator:alice");
        assertThat(policies.get(1).getDegradeModel()).isEqualTo("gpt-4o-mini");
        assertThat(policies.get(1).getTimeZone()).isEqualTo("UTC");
        assertThat(policies.get(5).getTaskCeiling()).isEqualTo(new TaskCeiling(200, 20, 2_000_000L, 2_000_000_000L));
        assertThat(policies.get(5).getLimits()).isEmpty();
        assertThat(policies).allMatch(BudgetPolicy::getEnabled);
    }

    @Test
    void shouldConvertTheSmallestAmountExactly() throws Exception {
        BudgetPolicy policy = parse("""
                policies:
                  - scope: tenant:acme
                    limits: [ { period: hour, limit_usd: "0.000000001" } ]
                """).get(0);

        assertThat(policy.getLimits()).containsExactly(new PeriodLimit(BudgetPeriod.HOUR, 1L));
        assertThat(policy.getAction()).isEqualTo(BudgetAction.ALERT);
    }

    @Test
    void shouldReportEveryProblemWithPolicyIndexAndField() {
        List<String> errors = errors("""
                policies:
                  - scope: tenant:acme
                    limits:
                      - { period: DAY, limit_usd: 250.5 }
                      - { period: WEEK, limit_usd: "10" }
                      - { period: MONTH, limit_usd: "-5" }
                      - { period: HOUR, limit_usd: "0.0000000001" }
                      - { period: DAY, limit_usd: "two" }
                  - scope: team:x
                    limits: [ { period: DAY, limit_usd: "0" } ]
                    action: STOP
                    time_zone: Mars/Base
                  - scope: route:chat
                    limits: [ { period: DAY, limit_usd: "5" }, { period: DAY, limit_usd: "6" } ]
                    warn_thresholds_pct: [70, 50]
                    enabled: "yes"
                    budget_usd: "1"
                  - scope: route:chat
                    limits: [ { period: DAY } ]
                  - limits: [ { period: DAY, limit_usd: "1" } ]
                """);

        assertThat(errors).containsExactly(
                "policies[0].limits[0].limit_usd: must be a quoted decimal string such as \"250.00\", not the YAML number 250.5",
                "policies[0].limits[1].period: must be one of HOUR, DAY, MONTH, not \"WEEK\"",
                "policies[0].limits[2].limit_usd: negative amount \"-5\"",
                "policies[0].limits[3].limit_usd: \"0.0000000001\" has more than 9 decimal places (finer than one nano-USD)",
                "policies[0].limits[4].limit_usd: \"two\" is not a plain decimal number such as \"250.00\"",
                "policies[1].scope: \"team:x\" is not a budget scope; expected one of tenant:<id>, route:<name>, "
                        + "prompt:<route>@<version>, task_class:<name>, end_user:<tenant>/<user>, task_default:<task_class>",
                "policies[1].time_zone: \"Mars/Base\" is not an IANA time zone such as UTC or Europe/Berlin",
                "policies[1].limits[0].limit_usd: must be above zero, not \"0\"",
                "policies[1].action: must be one of ALERT, DEGRADE, BLOCK, not \"STOP\"",
                "policies[2]: unknown key 'budget_usd'",
                "policies[2].limits[1]: a second DAY limit (limits[0] already caps DAY)",
                "policies[2].warn_thresholds_pct: must be a list of whole percentages from 1 to 99 in increasing order, "
                        + "such as [50, 70], not [70, 50]",
                "policies[2].enabled: must be true or false, not \"yes\"",
                "policies[3].limits[0]: missing required field 'limit_usd'",
                "policies[4]: missing required field 'scope'");
    }

    @Test
    void shouldRefusePoliciesAlertingStreamWouldNotEnforceAsWritten() {
        List<String> errors = errors("""
                policies:
                  - scope: route:premium-chat
                    limits: [ { period: HOUR, limit_usd: "20.00" } ]
                    action: DEGRADE
                  - scope: tenant:acme
                    limits: [ { period: DAY, limit_usd: "1" } ]
                    degrade_model: gpt-4o-mini
                  - scope: task_class:eval
                    limits: [ { period: DAY, limit_usd: "100" } ]
                    action: BLOCK
                  - scope: task_default:agent
                    limits: [ { period: DAY, limit_usd: "1" } ]
                    task_ceiling: { max_calls: 10 }
                  - scope: route:chat
                    task_ceiling: { max_calls: 0, max_cost_usd: 2.5 }
                  - scope: end_user:acme/u-1
                    task_ceiling: { max_calls: 10 }
                  - scope: tenant:globex
                  - scope: tenant:initech
                    limits: [ { period: DAY, limit_usd: "2" } ]
                  - scope: tenant:initech
                    limits: [ { period: DAY, limit_usd: "3" } ]
                """);

        assertThat(errors).containsExactly(
                "policies[0]: action DEGRADE needs degrade_model (the cheaper model to switch to)",
                "policies[1].degrade_model: is only used when action is DEGRADE, not ALERT",
                "policies[2].action: a task_class: policy can only ALERT (no kill switch can name a task class), not BLOCK",
                "policies[3].limits: a task_default: policy holds per-task ceilings (task_ceiling), not period limits",
                "policies[4].task_ceiling.max_calls: must be a whole number from 1 to 2147483647, not \"0\"",
                "policies[4].task_ceiling.max_cost_usd: must be a quoted decimal string such as \"250.00\", not the YAML number 2.5",
                "policies[5].task_ceiling: only task_default:, task_class: and tenant: policies carry per-task ceilings",
                "policies[6]: has neither limits nor task_ceiling, so it would govern nothing",
                "policies[8]: duplicate of policies[7] (tenant:initech)");
    }

    @Test
    void shouldReportTopLevelProblems() {
        assertThat(errors("polices: []")).containsExactly("unknown key 'polices'", "missing required field 'policies'");
        assertThat(errors("policies: []")).containsExactly("policies: must be a non-empty list of budget policies");
        assertThat(errors("- just a list")).containsExactly("the budget file must be a mapping with the key policies");
        assertThat(errors("policies: [ { scope: \"tenant:a\" ")).singleElement().asString().startsWith("not valid YAML: ");
    }

    @Test
    void shouldReportUnknownKeysInsideLimitsAndCeilingsWithTheirPath() {
        assertThat(errors("""
                policies:
                  - scope: tenant:acme
                    limits: [ { period: DAY, limit_usd: "1", currency: EUR } ]
                    task_ceiling: { max_calls: 10, max_tools: 3 }
                    unknown_keys: { team: payments }
                """)).containsExactly(
                        "policies[0]: unknown key 'unknown_keys'",
                        "policies[0].limits[0]: unknown key 'currency'",
                        "policies[0].task_ceiling: unknown key 'max_tools'");
    }

    @Test
    void shouldRefuseAKeyGivenTwiceNamingWhereItIs() {
        assertThat(errors("""
                policies:
                  - scope: tenant:acme
                    limits: [ { period: DAY, limit_usd: "1" } ]
                    action: ALERT
                    action: BLOCK
                """)).singleElement().asString()
                .startsWith("not valid YAML: Duplicate field 'action'")
                .contains("in policies[0]");
    }

    @Test
    void shouldRefuseAFloatInAnyMoneyFieldRatherThanRoundIt() {
        assertThat(errors("""
                policies:
                  - scope: tenant:acme
                    limits: [ { period: DAY, limit_usd: 0.1 } ]
                    task_ceiling: { max_cost_usd: 1.0 }
                """)).containsExactly(
                        "policies[0].limits[0].limit_usd: must be a quoted decimal string such as \"250.00\", not the YAML number 0.1",
                        "policies[0].task_ceiling.max_cost_usd: must be a quoted decimal string such as \"250.00\", not the YAML number 1.0");
    }

    @Test
    void shouldNameThePathOfAListOrMappingInTheWrongPlace() {
        assertThat(errors("policies:\n  - scope: [tenant, acme]\n"))
                .containsExactly("policies[0].scope: must be a single value (a string, number or true/false), not a list or mapping");
        assertThat(errors("policies:\n  - scope: tenant:acme\n    limits: { period: DAY }\n"))
                .containsExactly("policies[0].limits: must be a list");
        assertThat(errors("policies:\n  - scope: tenant:acme\n    limits: [ DAY ]\n"))
                .containsExactly("policies[0].limits[0]: must be a mapping { period, limit_usd }");
        assertThat(errors("policies:\n  - tenant:acme\n"))
                .containsExactly("policies[0]: must be a mapping of fields (scope, limits, action, ...)");
    }

    @Test
    void shouldRefuseWholeNumbersWrittenAsFloatsAndReadYamlBooleansByValue() throws Exception {
        assertThat(errors("""
                policies:
                  - scope: tenant:acme
                    limits: [ { period: DAY, limit_usd: "1" } ]
                    warn_thresholds_pct: [50.5, 70]
                    task_ceiling: { max_calls: 10.0 }
                """)).containsExactly(
                        "policies[0].warn_thresholds_pct: must be a list of whole percentages from 1 to 99 in increasing order, "
                                + "such as [50, 70], not [50.5, 70]",
                        "policies[0].task_ceiling.max_calls: must be a whole number from 1 to 2147483647, not \"10.0\"");
        assertThat(parse("""
                policies:
                  - scope: tenant:acme
                    limits: [ { period: DAY, limit_usd: "1" } ]
                    enabled: false
                """).get(0).getEnabled()).isFalse();
    }

    private List<BudgetPolicy> parse(String yaml) throws BudgetFileException {
        return parser.parse(yaml, NOW, "operator:alice");
    }

    private List<String> errors(String yaml) {
        return catchThrowableOfType(BudgetFileException.class, () -> parse(yaml)).errors();
    }
}
