package dev.costmeter.runtime.http;

import org.apache.kafka.streams.KafkaStreams;

/**
 * What {@code /health/live} and {@code /health/ready} answer: the client's state, and whether the
 * instance can do its work now, with the reason when it cannot.
 *
 * @param reason why the instance is not ready, or null (also when the state alone says it)
 */
public record HealthStatus(KafkaStreams.State state, boolean ready, String reason) {

    /** Ready exactly when RUNNING: for callers that know nothing more than the client state. */
    public static HealthStatus ofState(KafkaStreams.State state) {
        return new HealthStatus(state, state == KafkaStreams.State.RUNNING, null);
    }

    /** Not ready in {@code state}, because of {@code reason}. */
    public static HealthStatus notReady(KafkaStreams.State state, String reason) {
        return new HealthStatus(state, false, reason);
    }
}
