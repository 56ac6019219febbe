package dev.costmeter.runtime.deadletter;

import dev.costmeter.runtime.lifecycle.RuntimeMeters;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * A deserialization exception handler for sources the app does not decode by hand: Kafka's
 * {@link LogAndContinueExceptionHandler} (a WARN line with task id, topic, partition, offset and
 * the exception; the record is skipped, or sent to {@code errors.dead.letter.queue.topic.name}
 * when that is set), plus the counter {@value RuntimeMeters#DESERIALIZATION_ERRORS} tagged with
 * the topic, so a skipped record never goes unnoticed.
 *
 * <p>The counter goes to the {@link MeterRegistry} found under {@value #METER_REGISTRY_CONFIG} in
 * the Streams configs ({@link StreamsApp} puts its registry there), else to Micrometer's global
 * registry.
 */
public class CountingLogAndContinueHandler extends LogAndContinueExceptionHandler {

    /** Streams config key holding the {@link MeterRegistry} object to count in. */
    public static final String METER_REGISTRY_CONFIG = "costmeter.meter.registry";

    private MeterRegistry registry = Metrics.globalRegistry;

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        if (configs.get(METER_REGISTRY_CONFIG) instanceof MeterRegistry configured) {
            registry = configured;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        registry.counter(RuntimeMeters.DESERIALIZATION_ERRORS, "topic", String.valueOf(record.topic()))
                .increment();
        return super.handleError(context, record, exception);
    }
}
