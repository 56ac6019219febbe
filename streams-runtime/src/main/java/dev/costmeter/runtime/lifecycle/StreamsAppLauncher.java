package dev.costmeter.runtime.lifecycle;

import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.config.StreamsDefaults;
import dev.costmeter.runtime.http.JsonRoute;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What every costmeter stream app's entry point does: load configuration (defaults, optional
 * properties file, environment), build the topology with meters that report through the app's
 * Prometheus registry, and run or create the {@link StreamsApp}. An app only says how it builds its
 * topology and routes.
 */
public final class StreamsAppLauncher {

    /** An app's own part. */
    public interface Definition {
        String name();

        Map<String, String> defaults();

        /**
         * Builds the topology, its start preconditions and the Streams properties the app sets;
         * {@code meters} reports through the app's registry once it exists.
         */
        AppTopology topology(AppConfig config, MeterRegistry meters);

        /** The app's JSON routes, by path prefix. */
        default Map<String, JsonRoute> routes(StreamsApp app) {
            return Map.of();
        }
    }

    private StreamsAppLauncher() {
    }

    /** For {@code main(args)}: runs until shut down and exits with {@link StreamsApp#run}'s code. */
    public static void main(Definition app, String[] args) {
        AppConfig config = AppConfig.load(app.name(), app.defaults(),
                args.length > 0 ? Optional.of(Path.of(args[0])) : Optional.empty(), System.getenv());
        Built built = build(app, config);
        System.exit(StreamsApp.run(app.name(), built.topology().topology(), built.props(), config, built::routes));
    }

    /** Builds the app without starting it (integration tests start several in one JVM). */
    public static StreamsApp create(Definition app, AppConfig config) {
        Built built = build(app, config);
        return StreamsApp.create(app.name(), built.topology().topology(), built.props(), config, built::routes);
    }

    private static Built build(Definition app, AppConfig config) {
        // The topology registers its meters before the app's registry exists; the composite forwards them.
        CompositeMeterRegistry meters = new CompositeMeterRegistry();
        AppTopology topology = app.topology(config, meters);
        Properties props = StreamsDefaults.baseProperties(config, config.string("application.id"));
        props.putAll(topology.streamsProperties());
        return new Built(app, meters, topology, props);
    }

    private record Built(Definition app, CompositeMeterRegistry meters, AppTopology topology, Properties props) {
        Map<String, JsonRoute> routes(StreamsApp running) {
            meters.add(running.meterRegistry());
            topology.preconditions().forEach(running::requireBeforeStart);
            return app.routes(running);
        }
    }
}
