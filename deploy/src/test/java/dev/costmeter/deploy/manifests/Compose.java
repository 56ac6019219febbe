package dev.costmeter.deploy.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** The services of {@code deploy/compose/docker-compose.yml}. */
final class Compose {

    static final String FILE = "compose/docker-compose.yml";

    private Compose() {
    }

    static JsonNode file() {
        return DeployFiles.yaml(FILE);
    }

    static Map<String, JsonNode> services() {
        Map<String, JsonNode> services = new LinkedHashMap<>();
        file().path("services").fields().forEachRemaining(e -> services.put(e.getKey(), e.getValue()));
        return services;
    }

    static JsonNode service(String name) {
        JsonNode service = file().path("services").path(name);
        if (service.isMissingNode()) {
            throw new AssertionError("docker-compose.yml has no service " + name);
        }
        return service;
    }

    /** A service's environment, in either Compose spelling (map, or list of NAME=value). */
    static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        } else if (node.isArray()) {
            for (JsonNode entry : node) {
                String text = entry.asText();
                int eq = text.indexOf('=');
                env.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : text.substring(eq + 1));
            }
        }
        return env;
    }

    /** Container ports published by a service ({@code "host:container"} or {@code "container"}). */
    static List<Integer> containerPorts(JsonNode service) {
        return StreamSupport.stream(service.path("ports").spliterator(), false)
                .map(JsonNode::asText)
                .map(spec -> spec.substring(spec.lastIndexOf(':') + 1).replace("/tcp", ""))
                .map(Integer::valueOf)
                .toList();
    }

    /** The app one of our images runs in this service, if any. */
    static Optional<App> app(JsonNode service) {
        String image = service.path("image").asText("");
        return image.isEmpty() ? Optional.empty() : App.byImage(image);
    }

    /** The command of a service as one text (a list is joined with newlines). */
    static String command(JsonNode service) {
        JsonNode command = service.path("command");
        if (command.isArray()) {
            StringBuilder text = new StringBuilder();
            command.forEach(part -> text.append(part.asText()).append('\n'));
            return text.toString();
        }
        return command.asText("");
    }
}
