package dev.costmeter.deploy.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The pods the Kubernetes manifests run: Deployments and StatefulSets with their containers. */
final class Workloads {

    static final List<String> KINDS = List.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob");

    private Workloads() {
    }

    /** One container of one workload. */
    record Container(JsonNode workload, JsonNode container) {

        String workloadName() {
            return workload.path("kind").asText() + "/" + workload.path("metadata").path("name").asText();
        }

        String image() {
            return container.path("image").asText();
        }

        Optional<App> app() {
            return App.byImage(image());
        }

        /** Literal env values; those from secrets or fields map to the empty string. */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (JsonNode var : container.path("env")) {
                env.put(var.path("name").asText(), var.path("value").asText(""));
            }
            return env;
        }

        /** A port by name or number, resolved against the container's declared ports. */
        int resolvePort(JsonNode port) {
            if (port.isInt()) {
                return port.asInt();
            }
            for (JsonNode declared : container.path("ports")) {
                if (declared.path("name").asText().equals(port.asText())) {
                    return declared.path("containerPort").asInt();
                }
            }
            throw new AssertionError(workloadName() + " refers to port " + port + " it does not declare");
        }

        List<Integer> containerPorts() {
            List<Integer> ports = new ArrayList<>();
            container.path("ports").forEach(p -> ports.add(p.path("containerPort").asInt()));
            return ports;
        }
    }

    static List<JsonNode> workloads() {
        return DeployFiles.kubernetesResources().stream()
                .filter(r -> KINDS.contains(r.path("kind").asText()))
                .toList();
    }

    static JsonNode podSpec(JsonNode workload) {
        JsonNode spec = workload.path("spec");
        if ("CronJob".equals(workload.path("kind").asText())) {
            spec = spec.path("jobTemplate").path("spec");
        }
        return spec.path("template").path("spec");
    }

    static List<Container> containers() {
        List<Container> containers = new ArrayList<>();
        for (JsonNode workload : workloads()) {
            JsonNode pod = podSpec(workload);
            pod.path("initContainers").forEach(c -> containers.add(new Container(workload, c)));
            pod.path("containers").forEach(c -> containers.add(new Container(workload, c)));
        }
        return containers;
    }

    static List<Container> containersOf(App app) {
        return containers().stream().filter(c -> c.app().filter(app::equals).isPresent()).toList();
    }
}
