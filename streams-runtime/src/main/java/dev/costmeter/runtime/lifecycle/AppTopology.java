package dev.costmeter.runtime.lifecycle;

import dev.costmeter.runtime.deadletter.DeadLetterProcessingHandler;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.Topology;

/**
 * What an app builds for {@link StreamsAppLauncher}: its topology, what must hold before it starts
 * processing (in order), and Kafka Streams properties it sets itself (such as
 * {@value DeadLetterProcessingHandler#DLQ_TOPIC_CONFIG}), applied over the production defaults and
 * the configuration.
 */
public record AppTopology(Topology topology, Map<String, StartPrecondition> preconditions,
        Map<String, Object> streamsProperties) {

    public AppTopology {
        Objects.requireNonNull(topology, "topology");
        preconditions = Collections.unmodifiableMap(new LinkedHashMap<>(preconditions));
        streamsProperties = Map.copyOf(streamsProperties);
    }

    /** A topology that needs nothing before it starts and sets no properties. */
    public static AppTopology of(Topology topology) {
        return new AppTopology(topology, Map.of(), Map.of());
    }
}
