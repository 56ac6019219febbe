package dev.costmeter.cli.scope;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScopesTest {

    @Test
    void shouldAcceptEveryBudgetScopeForm() {
        for (String scope : new String[] {"tenant:acme", "route:premium-chat", "prompt:summarize@v7", "task_class:eval",
            "end_user:acme/u-123", "task_default:agent", "prompt:a@b@v2"}) {
            assertThat(Scopes.budgetProblem(scope)).as(scope).isEmpty();
        }
    }

    @Test
    void shouldAcceptEverySwitchScopeFormButNotTaskClasses() {
        for (String scope : new String[] {"tenant:acme", "route:chat", "prompt:summarize@v7", "task:t-1", "end_user:acme/u-1"}) {
            assertThat(Scopes.switchProblem(scope)).as(scope).isEmpty();
        }
        assertThat(Scopes.switchProblem("task_class:eval")).contains("\"task_class:eval\" is not a switch scope; expected one of "
                + "tenant:<id>, route:<name>, prompt:<route>@<version>, task:<id>, end_user:<tenant>/<user>");
        assertThat(Scopes.budgetProblem("task:t-1")).get().asString().startsWith("\"task:t-1\" is not a budget scope");
    }

    @Test
    void shouldExplainMalformedScopes() {
        assertThat(Scopes.budgetProblem("prompt:summarize")).contains("\"prompt:summarize\" must be written prompt:<route>@<version>");
        assertThat(Scopes.budgetProblem("prompt:@v7")).contains("\"prompt:@v7\" must be written prompt:<route>@<version>");
        assertThat(Scopes.budgetProblem("end_user:acme")).contains("\"end_user:acme\" must be written end_user:<tenant>/<user>");
        assertThat(Scopes.budgetProblem("end_user:acme/")).contains("\"end_user:acme/\" must be written end_user:<tenant>/<user>");
        assertThat(Scopes.budgetProblem("tenant:")).contains(
                "\"tenant:\": the part after 'tenant:' must be non-empty, without leading or trailing spaces");
        assertThat(Scopes.budgetProblem("tenant:a|b")).contains("\"tenant:a|b\": must not contain '|' or control characters");
        assertThat(Scopes.budgetProblem("acme")).get().asString().startsWith("\"acme\" is not a budget scope");
    }
}
