package dev.costmeter.metering.validate;

import dev.costmeter.metering.MeteringMetrics;
import dev.costmeter.runtime.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes raw records by hand, so that a record that does not decode is caught here, routed to the
 * dead-letter topic with its reason and never stops the stream thread. Valid records leave keyed by
 * their task_id and stamped with their event time, so stream time follows event time.
 *
 * @param <T> the decoded type
 */
public final class DecodeAndValidate<T> implements Processor<byte[], byte[], String, Validated<T>> {

    /** The rules for one record type. */
    @FunctionalInterface
    public interface Rules<T> {
        Optional<Rejection> check(String key, T value, long nowMs);
    }

    private static final Logger log = LoggerFactory.getLogger(DecodeAndValidate.class);

    private final Deserializer<T> deserializer;
    private final Rules<T> rules;
    private final ToLongFunction<T> eventTime;
    private final MeteringMetrics metrics;
    private final String appName;
    private ProcessorContext<String, Validated<T>> context;

    public DecodeAndValidate(Deserializer<T> deserializer, Rules<T> rules, ToLongFunction<T> eventTime,
            MeteringMetrics metrics, String appName) {
        this.deserializer = deserializer;
        this.rules = rules;
        this.eventTime = eventTime;
        this.metrics = metrics;
        this.appName = appName;
    }

    @Override
    public void init(ProcessorContext<String, Validated<T>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        T value;
        try {
            value = deserializer.deserialize(topic, record.headers(), record.value());
        } catch (RuntimeException e) {
            reject(record, new Rejection(RejectReason.UNDECODABLE, describe(e)));
            return;
        }
        if (value == null) {
            reject(record, new Rejection(RejectReason.MISSING_FIELD, "null value (a tombstone) where a record was expected"));
            return;
        }
        Optional<Rejection> rejection = rules.check(key, value, context.currentSystemTimeMs());
        if (rejection.isPresent()) {
            reject(record, rejection.get());
            return;
        }
        context.forward(new Record<>(key, Validated.ok(value), eventTime.applyAsLong(value), record.headers()));
    }

    private void reject(Record<byte[], byte[]> record, Rejection rejection) {
        metrics.rejected(rejection.reason());
        Optional<RecordMetadata> source = context.recordMetadata();
        log.warn("Rejected record from {} partition {} offset {}: {} ({})",
                source.map(RecordMetadata::topic).orElse("?"), source.map(RecordMetadata::partition).orElse(-1),
                source.map(RecordMetadata::offset).orElse(-1L), rejection.reason().tag(), rejection.detail());
        context.forward(new Record<>(null, Validated.rejected(rejection, record.key(), record.value()), record.timestamp(),
                DeadLetters.headers(rejection.reason().tag(), rejection.detail(), source, appName,
                        context.currentSystemTimeMs())));
    }

    private static String describe(Throwable e) {
        StringBuilder detail = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            detail.append(": ").append(cause.getMessage());
        }
        return detail.toString();
    }
}
