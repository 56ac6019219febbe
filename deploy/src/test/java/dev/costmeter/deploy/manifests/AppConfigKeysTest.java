package dev.costmeter.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every variable a manifest gives one of our apps is one the app reads: a stream app's
 * {@code COSTMETER_*} variable must set a key of its {@code defaults()}, of the runtime or of Kafka
 * (Streams or client configs), by AppConfig's own mapping; the registry's must be one of its
 * EnvOverrides. Helper variables are allowed only when another value expands them ({@code $(NAME)}).
 */
class AppConfigKeysTest {

    private static final Pattern EXPANSION = Pattern.compile("\\$\\(([A-Z0-9_]+)\\)");

    @Test
    void shouldSetOnlyVariablesTheComposeAppsRead() {
        Compose.services().forEach((name, service) -> Compose.app(service)
                .ifPresent(app -> assertReadBy(app, Compose.environment(service), "compose " + name)));
    }

    @Test
    void shouldSetOnlyVariablesTheKubernetesAppsRead() {
        for (App app : App.values()) {
            for (Workloads.Container container : Workloads.containersOf(app)) {
                assertReadBy(app, container.env(), container.workloadName());
            }
        }
    }

    @Test
    void shouldOfferOnlyVariablesAlertingReadsInTheComposeSecretsExample() {
        Map<String, String> example = Dotenv.parse(DeployFiles.resolve("compose/secrets.env.example"));

        assertThat(example).isNotEmpty();
        assertReadBy(App.ALERTING, example, "secrets.env.example");
        assertThat(example.values()).allMatch(v -> v.contains("REPLACE_ME"), "placeholders only");
    }

    @Test
    void shouldMapTheStandbyAndStateVariablesOntoTheKafkaStreamsKeys() {
        assertThat(AppKeys.keySetBy(App.METERING, "COSTMETER_NUM_STANDBY_REPLICAS")).contains("num.standby.replicas");
        assertThat(AppKeys.keySetBy(App.METERING, "COSTMETER_STATE_DIR")).contains("state.dir");
        assertThat(AppKeys.keySetBy(App.ALERTING, "COSTMETER_CONTROL_SIGNING_KEY")).contains("control.signing.key");
        assertThat(AppKeys.streamsAppReadsVariable(App.ALERTING, "COSTMETER_CONTROL_VERIFY_KEYS")).isTrue();
        assertThat(AppKeys.streamsAppReadsVariable(App.ALERTING, "COSTMETER_CONTROL_KEYS")).as("the HMAC key ring is gone").isFalse();
        assertThat(AppKeys.streamsAppReadsVariable(App.METERING, "COSTMETER_NUM_STANDBY_REPLICA")).isFalse();
        assertThat(AppKeys.streamsAppReadsVariable(App.METERING, "COSTMETER_CONTROL_SIGNING_KEY")).isFalse();
    }

    private static void assertReadBy(App app, Map<String, String> env, String where) {
        Set<String> expanded = new java.util.TreeSet<>();
        env.values().forEach(value -> {
            Matcher m = EXPANSION.matcher(value);
            while (m.find()) {
                expanded.add(m.group(1));
            }
        });
        for (String variable : env.keySet()) {
            if (expanded.contains(variable)) {
                continue;
            }
            boolean read = app.isStreamsApp()
                    ? AppKeys.streamsAppReadsVariable(app, variable)
                    : AppKeys.registryReadsVariable(variable);
            assertThat(read).as("%s: %s reads %s", where, app.appName(), variable).isTrue();
        }
        assertThat(expanded).as(where + ": every $(VAR) is defined").isSubsetOf(env.keySet());
    }
}
