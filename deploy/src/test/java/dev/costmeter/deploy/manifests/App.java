package dev.costmeter.deploy.manifests;

import dev.costmeter.metering.MeteringApp;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * costmeter's own server apps and what the checks need to know of them, read from their code:
 * defaults, HTTP port, health paths. Their images are {@code costmeter/<name>}.
 */
enum App {
    REGISTRY("registry", "dev.costmeter.registry.RegistryMain"),
    METERING("metering-stream", "dev.costmeter.metering.MeteringApp"),
    ALERTING("alerting-stream", "dev.costmeter.alerting.AlertingApp");

    /** Routes of {@link StreamsApp}'s ops server (streams-runtime/README.md). */
    static final String READY_PATH = "/health/ready";
    static final String LIVE_PATH = "/health/live";
    static final String METRICS_PATH = "/metrics";

    private final String name;
    private final String mainClass;

    App(String name, String mainClass) {
        this.name = name;
        this.mainClass = mainClass;
    }

    String appName() {
        return name;
    }

    String mainClass() {
        return mainClass;
    }

    /** The image repository our Dockerfile {@code deploy/docker/<name>.Dockerfile} builds. */
    String imageRepository() {
        return "costmeter/" + name;
    }

    boolean isStreamsApp() {
        return this != REGISTRY;
    }

    /** The port the app listens on when nothing overrides it. */
    int defaultHttpPort() {
        if (this == REGISTRY) {
            return RegistryServerConfig.fromProperties(new Properties()).port();
        }
        return Integer.parseInt(defaults().get(StreamsApp.HTTP_PORT_CONFIG));
    }

    /** The code defaults of a stream app ({@code MeteringApp.defaults()}, {@code AlertingApp.defaults()}). */
    @SuppressWarnings("unchecked")
    Map<String, String> defaults() {
        return switch (this) {
            case METERING -> MeteringApp.defaults();
            case ALERTING -> (Map<String, String>) invokeStatic("defaults", new Class<?>[0]);
            case REGISTRY -> throw new UnsupportedOperationException("the registry has no AppConfig defaults");
        };
    }

    /** Builds the stream app without starting it. */
    StreamsApp create(AppConfig config) {
        return switch (this) {
            case METERING -> MeteringApp.create(config);
            case ALERTING -> (StreamsApp) invokeStatic("create", new Class<?>[] {AppConfig.class}, config);
            case REGISTRY -> throw new UnsupportedOperationException("the registry is not a streams app");
        };
    }

    /** The app whose image {@code image} (with or without a tag) is. */
    static Optional<App> byImage(String image) {
        String repository = Images.repository(image);
        return Arrays.stream(values()).filter(app -> app.imageRepository().equals(repository)).findFirst();
    }

    private Object invokeStatic(String method, Class<?>[] types, Object... args) {
        try {
            Method m = AppClasses.load(mainClass).getMethod(method, types);
            return m.invoke(null, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot call " + mainClass + "." + method + ": " + e, e);
        }
    }
}
