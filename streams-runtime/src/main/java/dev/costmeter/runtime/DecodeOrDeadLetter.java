package dev.costmeter.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes raw records by hand, so that a record that does not decode or breaks a rule is caught
 * here, sent to the dead-letter topic exactly as received with its reason in {@link DeadLetters}
 * headers, counted, and never stops the stream thread. Valid records leave keyed by their UTF-8 key.
 *
 * @param <T> the decoded type
 */
public final class DecodeOrDeadLetter<T> implements Processor<byte[], byte[], String, Decoded<T>> {

    /** Reason of a record that does not decode (bad bytes, unknown schema id). */
    public static final String UNDECODABLE = "undecodable";
    /** Reason of a null value where a record was expected. */
    public static final String MISSING_VALUE = "missing-value";

    /** Why a decoded record is not usable. */
    public record Rejection(String reason, String detail) {
    }

    /** The rules a decoded record must pass, given its key and the wall clock. */
    @FunctionalInterface
    public interface Rules<T> {
        Optional<Rejection> check(String key, T value, long nowMs);
    }

    /** Told of every rejection, to move a counter. */
    @FunctionalInterface
    public interface RejectionListener {
        void rejected(String topic, String reason);
    }

    private static final Logger log = LoggerFactory.getLogger(DecodeOrDeadLetter.class);

    private final Deserializer<T> deserializer;
    private final Rules<T> rules;
    private final ToLongFunction<T> timestamp;
    private final RejectionListener listener;
    private final String appName;
    private ProcessorContext<String, Decoded<T>> context;

    /**
     * @param timestamp the timestamp a valid record leaves with (e.g. its event time, so stream time
     *                  follows event time), or null to keep the record's own
     */
    public DecodeOrDeadLetter(Deserializer<T> deserializer, Rules<T> rules, ToLongFunction<T> timestamp,
            RejectionListener listener, String appName) {
        this.deserializer = deserializer;
        this.rules = rules;
        this.timestamp = timestamp;
        this.listener = listener;
        this.appName = appName;
    }

    /**
     * Reads {@code topic} as bytes through this processor: rejected records go to {@code deadLetterTopic}
     * as received, valid ones are returned. Nodes are named {@code <name>-source}, {@code <name>-decode},
     * {@code <name>-rejected}, {@code <name>-valid}, {@code <name>-dlq-raw}, {@code <name>-dlq-sink},
     * {@code <name>-unwrap}.
     */
    public static <T> KStream<String, T> stream(StreamsBuilder builder, String name, String topic, String deadLetterTopic,
            org.apache.kafka.streams.processor.api.ProcessorSupplier<byte[], byte[], String, Decoded<T>> decode) {
        Map<String, KStream<String, Decoded<T>>> branches = builder
                .stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name + "-source"))
                .process(decode, Named.as(name + "-decode"))
                .split(Named.as(name + "-"))
                .branch((key, value) -> value.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("valid"));
        branches.get(name + "-rejected")
                .map((key, value) -> KeyValue.pair(value.rawKey(), value.rawValue()), Named.as(name + "-dlq-raw"))
                .to(deadLetterTopic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name + "-dlq-sink"));
        return branches.get(name + "-valid").mapValues(Decoded::value, Named.as(name + "-unwrap"));
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
            reject(record, topic, new Rejection(UNDECODABLE, describe(e)));
            return;
        }
        if (value == null) {
            reject(record, topic, new Rejection(MISSING_VALUE, "null value (a tombstone) where a record was expected"));
            return;
        }
        Optional<Rejection> rejection = rules.check(key, value, context.currentSystemTimeMs());
        if (rejection.isPresent()) {
            reject(record, topic, rejection.get());
            return;
        }
        long ts = timestamp == null ? record.timestamp() : timestamp.applyAsLong(value);
        context.forward(new Record<>(key, Decoded.ok(value), ts, record.headers()));
    }

    private void reject(Record<byte[], byte[]> record, String topic, Rejection rejection) {
        listener.rejected(topic, rejection.reason());
        Optional<RecordMetadata> source = context.recordMetadata();
        log.warn("Rejected record from {} partition {} offset {}: {} ({})", topic,
                source.map(RecordMetadata::partition).orElse(-1), source.map(RecordMetadata::offset).orElse(-1L),
                rejection.reason(), rejection.detail());
        context.forward(new Record<>(null, Decoded.rejected(rejection.reason(), rejection.detail(), record.key(), record.value()),
                record.timestamp(), DeadLetters.headers(rejection.reason(), rejection.detail(), source, appName,
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
