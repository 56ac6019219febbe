package dev.costmeter.deploy.manifests;

import dev.costmeter.metering.MeteringMetrics;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.lifecycle.RuntimeMeters;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import dev.costmeter.schemas.control.ControlKeyPair;
import dev.costmeter.schemas.validation.RejectReason;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus series names the apps really expose: each app is built (not started, so no broker
 * is needed) and its registry scraped, which yields the runtime meters, the Kafka Streams client
 * metrics of its embedded clients and the JVM binders; the app's own meters, registered lazily on
 * first use, are registered by calling each recording method once on a Prometheus registry.
 */
final class RegisteredMetrics {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*?\\})?[ ]");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

    private RegisteredMetrics() {
    }

    /**
     * Series names (counters with {@code _total}, histograms with their suffixes) of every app,
     * each with the label names it carries.
     */
    static Map<String, Set<String>> all(Path stateDir) {
        Map<String, Set<String>> series = new TreeMap<>();
        merge(series, scrapeBuiltApp(App.METERING, stateDir.resolve("metering")));
        merge(series, scrapeBuiltApp(App.ALERTING, stateDir.resolve("alerting")));
        merge(series, series(meteringMeters()));
        merge(series, series(alertingMeters()));
        merge(series, series(runtimeLazyMeters()));
        return series;
    }

    private static void merge(Map<String, Set<String>> into, Map<String, Set<String>> from) {
        from.forEach((name, labels) -> into.computeIfAbsent(name, n -> new TreeSet<>()).addAll(labels));
    }

    private static Map<String, Set<String>> scrapeBuiltApp(App kind, Path stateDir) {
        Map<String, String> config = new HashMap<>(kind.defaults());
        // Nothing listens on port 1: the clients are created but never connect.
        config.put("bootstrap.servers", "127.0.0.1:1");
        config.put("schema.registry.url", "http://127.0.0.1:1");
        config.put("http.host", "127.0.0.1");
        config.put("http.port", "0");
        config.put("state.dir", stateDir.toString());
        if (kind == App.ALERTING) {
            // alerting-stream ships no kill-switch key and refuses to start without one.
            ControlKeyPair keys = ControlKeyPair.generate("metrics-test");
            config.put("control.signing.key", keys.signingKeyText());
            config.put("control.verify.keys", keys.verifyKeyText());
        }
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (StreamsApp app = kind.create(AppConfig.of(kind.appName(), config))) {
            return series(app.meterRegistry());
        }
    }

    /** Registered by the runtime only when the first bad record arrives (CountingLogAndContinueHandler). */
    private static PrometheusMeterRegistry runtimeLazyMeters() {
        PrometheusMeterRegistry registry = appRegistry();
        registry.counter(RuntimeMeters.DESERIALIZATION_ERRORS, "topic", "topic").increment();
        return registry;
    }

    /** A registry tagged as a {@link StreamsApp}'s is, which the app's own meters are added to. */
    private static PrometheusMeterRegistry appRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(RuntimeMeters.APP_TAG, "app");
        return registry;
    }

    private static PrometheusMeterRegistry meteringMeters() {
        PrometheusMeterRegistry registry = appRegistry();
        MeteringMetrics metrics = new MeteringMetrics(registry);
        metrics.rejected(RejectReason.values()[0]);
        metrics.deduplicated();
        metrics.priced("route", "model", 1);
        metrics.unpriced("model");
        metrics.lateForRollup("MINUTE");
        return registry;
    }

    /** alerting-stream's meters, through reflection while the module is not a compile dependency. */
    private static PrometheusMeterRegistry alertingMeters() {
        PrometheusMeterRegistry registry = appRegistry();
        try {
            Class<?> type = AppClasses.load("dev.costmeter.alerting.AlertingMetrics");
            Object metrics = type.getConstructor(MeterRegistry.class).newInstance(registry);
            type.getMethod("rejected", String.class, String.class).invoke(metrics, "topic", "reason");
            type.getMethod("alert", String.class, String.class).invoke(metrics, "rule", "FIRING");
            type.getMethod("command", String.class).invoke(metrics, "BLOCK");
            type.getMethod("invalidPolicy").invoke(metrics);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot exercise AlertingMetrics: " + e, e);
        }
        return registry;
    }

    /** The sample names of a scrape, each with its label names. */
    static Map<String, Set<String>> series(PrometheusMeterRegistry registry) {
        Map<String, Set<String>> series = new TreeMap<>();
        for (String line : registry.scrape().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.lookingAt()) {
                throw new IllegalStateException("Unexpected scrape line: " + line);
            }
            Set<String> labels = series.computeIfAbsent(sample.group(1), n -> new TreeSet<>());
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
        return series;
    }
}
