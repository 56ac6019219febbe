package dev.costmeter.alerting.decode;

import dev.costmeter.alerting.AlertingMetrics;
import dev.costmeter.runtime.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes raw records by hand, so that a record that does not decode (or fails its check) is routed
 * to the dead-letter topic with its reason in headers and a counter moves, and never stops the
 * stream thread. The metering pattern ({@code DecodeAndValidate}), with the checks alerting needs.
 *
 * @param <T> the decoded type
 */
public final class DecodeRecord<T> implements Processor<byte[], byte[], String, Decoded<T>> {

    /** A check on a decoded record: empty when it is usable, else why not. */
    @FunctionalInterface
    public interface Check<T> extends Function<T, Optional<String>> {
    }

    private static final Logger log = LoggerFactory.getLogger(DecodeRecord.class);

    private final Deserializer<T> deserializer;
    private final Check<T> check;
    private final AlertingMetrics metrics;
    private final String appName;
    private ProcessorContext<String, Decoded<T>> context;

    public DecodeRecord(Deserializer<T> deserializer, Check<T> check, AlertingMetrics metrics, String appName) {
        this.deserializer = deserializer;
        this.check = check;
        this.metrics = metrics;
        this.appName = appName;
    }

    @Override
    public void init(ProcessorContext<String, Decoded<T>> context) {
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
            reject(record, topic, "undecodable", String.valueOf(e.getMessage()));
            return;
        }
        if (value == null) {
            reject(record, topic, "missing_value", "null value (a tombstone) where a record was expected");
            return;
        }
        Optional<String> problem = check.apply(value);
        if (problem.isPresent()) {
            reject(record, topic, "invalid", problem.get());
            return;
        }
        context.forward(new Record<>(key, Decoded.ok(value), record.timestamp(), record.headers()));
    }

    private void reject(Record<byte[], byte[]> record, String topic, String reason, String detail) {
        metrics.rejected(topic, reason);
        Optional<RecordMetadata> source = context.recordMetadata();
        log.warn("Rejected record from {} partition {} offset {}: {} ({})", topic,
                source.map(RecordMetadata::partition).orElse(-1), source.map(RecordMetadata::offset).orElse(-1L),
                reason, detail);
        context.forward(new Record<>(null, Decoded.rejected(reason, detail, record.key(), record.value()),
                record.timestamp(), DeadLetters.headers(reason, detail, source, appName, context.currentSystemTimeMs())));
    }
}
