package dev.costmeter.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stream apps run as StatefulSets with their RocksDB state on a persistent volume, a standby of
 * every store, pod DNS names as application.server, and a disruption budget.
 */
class StreamsAppsOnKubernetesTest {

    @Test
    void shouldRunEachStreamAppAsAStatefulSetWithItsStateOnAPersistentVolume() {
        for (App app : streamsApps()) {
            for (Workloads.Container container : Workloads.containersOf(app)) {
                JsonNode workload = container.workload();
                assertThat(workload.path("kind").asText()).as(app.appName()).isEqualTo("StatefulSet");
                String stateDir = stateDir(app, container.env());
                JsonNode mount = null;
                for (JsonNode m : container.container().path("volumeMounts")) {
                    if (m.path("mountPath").asText().equals(stateDir)) {
                        mount = m;
                    }
                }
                assertThat(mount).as(app.appName() + " mounts a volume on state.dir " + stateDir).isNotNull();
                String volume = mount.path("name").asText();
                boolean claimed = false;
                for (JsonNode claim : workload.path("spec").path("volumeClaimTemplates")) {
                    claimed |= claim.path("metadata").path("name").asText().equals(volume);
                }
                assertThat(claimed).as(app.appName() + " state volume comes from a volumeClaimTemplate").isTrue();
            }
        }
    }

    @Test
    void shouldKeepOneStandbyReplicaOfEveryStore() {
        for (App app : streamsApps()) {
            for (Workloads.Container container : Workloads.containersOf(app)) {
                assertThat(container.env()).as(app.appName()).containsEntry("COSTMETER_NUM_STANDBY_REPLICAS", "1");
                assertThat(container.workload().path("spec").path("replicas").asInt())
                        .as(app.appName() + " has an instance to hold the standby").isGreaterThan(1);
            }
        }
    }

    @Test
    void shouldAdvertiseEachPodThroughItsHeadlessService() {
        for (App app : streamsApps()) {
            for (Workloads.Container container : Workloads.containersOf(app)) {
                String serviceName = container.workload().path("spec").path("serviceName").asText();
                JsonNode service = DeployFiles.kubernetesResources("Service").stream()
                        .filter(s -> s.path("metadata").path("name").asText().equals(serviceName))
                        .findFirst().orElseThrow(() -> new AssertionError("No Service " + serviceName));
                assertThat(service.path("spec").path("clusterIP").asText()).as(serviceName).isEqualTo("None");
                assertThat(container.env().get("COSTMETER_APPLICATION_SERVER")).as(app.appName())
                        .isEqualTo("$(POD_NAME)." + serviceName + ".$(POD_NAMESPACE).svc.cluster.local:"
                                + PortsTest.listeningPort(app, container.env()));
            }
        }
    }

    @Test
    void shouldLetOnlyOneInstanceOfEachStreamAppBeDisruptedAtATime() {
        for (App app : streamsApps()) {
            for (Workloads.Container container : Workloads.containersOf(app)) {
                JsonNode podLabels = container.workload().path("spec").path("template").path("metadata").path("labels");
                JsonNode budget = DeployFiles.kubernetesResources("PodDisruptionBudget").stream()
                        .filter(pdb -> selects(pdb.path("spec").path("selector").path("matchLabels"), podLabels))
                        .findFirst().orElseThrow(() -> new AssertionError("No PodDisruptionBudget for " + app.appName()));
                assertThat(budget.path("spec").path("maxUnavailable").asInt()).as(app.appName()).isEqualTo(1);
            }
        }
    }

    @Test
    void shouldGiveStreamAppsTimeToShutDownCleanly() {
        for (App app : streamsApps()) {
            for (Workloads.Container container : Workloads.containersOf(app)) {
                int grace = Workloads.podSpec(container.workload()).path("terminationGracePeriodSeconds").asInt(30);
                // StreamsApp's default shutdown.timeout is 30s; Kubernetes must wait longer.
                assertThat(grace).as(app.appName()).isGreaterThan(30);
            }
        }
    }

    private static String stateDir(App app, Map<String, String> env) {
        return env.getOrDefault("COSTMETER_STATE_DIR", app.defaults().getOrDefault("state.dir", ""));
    }

    private static boolean selects(JsonNode matchLabels, JsonNode labels) {
        var it = matchLabels.fields();
        boolean any = false;
        while (it.hasNext()) {
            var e = it.next();
            any = true;
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return any;
    }

    private static App[] streamsApps() {
        return new App[] {App.METERING, App.ALERTING};
    }
}
