package dev.costmeter.runtime.lifecycle;

/**
 * Names of the meters the runtime registers (Micrometer spelling; Prometheus shows dots as
 * underscores and adds {@code _total} to counters).
 */
public final class RuntimeMeters {

    /** Counter: stream-thread exceptions that reached the uncaught-exception handler. */
    public static final String UNCAUGHT_EXCEPTIONS = "costmeter.stream.uncaught.exceptions";
    /** Counter: records skipped because they could not be deserialized, tag {@code topic}. */
    public static final String DESERIALIZATION_ERRORS = "costmeter.stream.deserialization.errors";
    /**
     * Counter: exceptions thrown while processing, tags {@code processor} and {@code outcome}
     * ({@code dead-lettered}, {@code skipped}, {@code retry}, {@code logged}).
     */
    public static final String PROCESSING_ERRORS = "costmeter.stream.processing.errors";
    /** Gauge: the ordinal of the client's {@link org.apache.kafka.streams.KafkaStreams.State}. */
    public static final String STATE = "costmeter.stream.state";
    /** Gauge: 1 while the instance is ready (see {@link Readiness}), else 0. */
    public static final String READY = "costmeter.stream.ready";
    /** Common tag on every meter of a {@link StreamsApp}: the app name. */
    public static final String APP_TAG = "app";

    private RuntimeMeters() {
    }
}
