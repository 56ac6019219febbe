package dev.costmeter.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringReader;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Every published port, probe, Service and scrape target points at the port the app really listens
 * on: {@code http.port} of its defaults (or the override the manifest sets), the registry's default.
 */
class PortsTest {

    @Test
    void shouldPublishEachComposeAppOnThePortItListensOn() {
        Compose.services().forEach((name, service) -> Compose.app(service).ifPresent(app -> {
            int port = listeningPort(app, Compose.environment(service));
            assertThat(Compose.containerPorts(service)).as(name).containsExactly(port);
        }));
    }

    @Test
    void shouldPublishConnectOnItsRestListener() throws Exception {
        Properties worker = new Properties();
        worker.load(new StringReader(DeployFiles.read(DeployFiles.resolve("docker/connect/worker.properties"))));
        int restPort = Integer.parseInt(worker.getProperty("listeners").replaceAll(".*:(\\d+)$", "$1"));

        assertThat(Compose.containerPorts(Compose.service("connect"))).containsExactly(restPort);
        assertThat(Dockerfile.parse(DeployFiles.resolve("docker/connect.Dockerfile")).all("EXPOSE"))
                .extracting(Dockerfile.Instruction::arguments).containsExactly(Integer.toString(restPort));
        assertThat(Compose.command(Compose.service("connectors"))).contains("http://connect:" + restPort + "/connectors/");
    }

    @Test
    void shouldAdvertiseTheHttpPortAsTheApplicationServerInCompose() {
        Compose.services().forEach((name, service) -> Compose.app(service).filter(App::isStreamsApp).ifPresent(app -> {
            Map<String, String> env = Compose.environment(service);
            assertThat(env.get("COSTMETER_APPLICATION_SERVER")).as(name)
                    .isEqualTo(name + ":" + listeningPort(app, env));
        }));
    }

    @Test
    void shouldDeclareAndProbeTheListeningPortOfEveryKubernetesContainer() {
        for (App app : App.values()) {
            assertThat(Workloads.containersOf(app)).as(app.appName() + " runs on Kubernetes").isNotEmpty();
            for (Workloads.Container container : Workloads.containersOf(app)) {
                int port = listeningPort(app, container.env());
                String where = container.workloadName();
                assertThat(container.containerPorts()).as(where).containsExactly(port);
                JsonNode readiness = container.container().path("readinessProbe").path("httpGet");
                JsonNode liveness = container.container().path("livenessProbe").path("httpGet");
                assertThat(container.resolvePort(readiness.path("port"))).as(where + " readiness").isEqualTo(port);
                assertThat(container.resolvePort(liveness.path("port"))).as(where + " liveness").isEqualTo(port);
                if (app.isStreamsApp()) {
                    assertThat(readiness.path("path").asText()).as(where).isEqualTo(App.READY_PATH);
                    assertThat(liveness.path("path").asText()).as(where).isEqualTo(App.LIVE_PATH);
                    assertThat(container.workload().path("spec").path("template").path("metadata").path("annotations")
                            .path("prometheus.io/port").asText()).as(where).isEqualTo(Integer.toString(port));
                }
            }
        }
    }

    @Test
    void shouldRouteEveryServiceToAPortItsPodsDeclare() {
        for (JsonNode service : DeployFiles.kubernetesResources("Service")) {
            JsonNode selector = service.path("spec").path("selector");
            Workloads.Container target = Workloads.containers().stream()
                    .filter(c -> matches(selector, c.workload().path("spec").path("template").path("metadata").path("labels")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("Service " + service.path("metadata").path("name") + " selects no pod"));
            for (JsonNode port : service.path("spec").path("ports")) {
                JsonNode targetPort = port.has("targetPort") ? port.path("targetPort") : port.path("port");
                int resolved = target.resolvePort(targetPort);
                assertThat(target.containerPorts()).as("Service " + service.path("metadata").path("name")).contains(resolved);
                assertThat(port.path("port").asInt()).as("Service port equals the app port, so URLs read the same")
                        .isEqualTo(resolved);
            }
        }
    }

    @Test
    void shouldScrapeEachStreamAppOnItsMetricsPathAndPort() {
        JsonNode prometheus = DeployFiles.yaml("prometheus/prometheus.yml");
        int jobs = 0;
        for (JsonNode job : prometheus.path("scrape_configs")) {
            String service = job.path("job_name").asText();
            App app = Compose.app(Compose.service(service)).orElseThrow();
            assertThat(job.path("metrics_path").asText(App.METRICS_PATH)).isEqualTo(App.METRICS_PATH);
            assertThat(job.path("static_configs").get(0).path("targets")).extracting(JsonNode::asText)
                    .containsExactly(service + ":" + listeningPort(app, Compose.environment(Compose.service(service))));
            jobs++;
        }
        assertThat(jobs).isEqualTo((int) java.util.Arrays.stream(App.values()).filter(App::isStreamsApp).count());
    }

    /** The port an app listens on given the environment a manifest gives it. */
    static int listeningPort(App app, Map<String, String> env) {
        if (app == App.REGISTRY) {
            String port = env.getOrDefault("COSTMETER_REGISTRY_PORT", env.get("REGISTRY_PORT"));
            return port != null ? Integer.parseInt(port) : app.defaultHttpPort();
        }
        String override = env.get("COSTMETER_HTTP_PORT");
        return override == null ? app.defaultHttpPort() : Integer.parseInt(override);
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        var it = selector.fields();
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
}
