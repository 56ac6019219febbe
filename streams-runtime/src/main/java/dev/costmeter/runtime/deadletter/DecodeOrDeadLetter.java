package dev.costmeter.runtime.deadletter;

import dev.costmeter.schemas.registry.SchemaRegistryUnavailableException;
import dev.costmeter.schemas.serde.WrongRecordTypeException;
import dev.costmeter.schemas.validation.RejectReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes raw records by hand, so that a record that does not decode or breaks a rule is caught
 * here, counted, and never stops the stream thread. Valid records leave keyed by their UTF-8 key.
 *
 * <p>What happens to a refused record depends on who owns the topic's validation: the owner reads
 * it through {@link #stream} with a dead-letter topic, and the record goes there exactly as received
 * with its reason in {@link DeadLetters} headers; another app reading the same topic uses
 * {@link #skipping}, applies the same rules and drops the record (counting it), so each bad record
 * is dead-lettered once.
 *
 * <p>Failures are told apart: a schema id the registry says does not exist, bytes that are not the
 * wire format, or a writer schema of another record type ({@code wrong-record-type}) are the
 * record's fault and refuse it; a registry that cannot answer is not. For that the record is retried
 * in place for a few seconds (well inside the transaction timeout), then a
 * {@link RetryLaterException} stops the stream thread, which resumes from the last commit: a valid
 * record is never dead-lettered because the registry was down.
 *
 * @param <T> the decoded type
 */
public final class DecodeOrDeadLetter<T> implements Processor<byte[], byte[], String, Object> {

    /** Reason of a record that does not decode (bad bytes, unknown schema id). */
    public static final String UNDECODABLE = RejectReason.UNDECODABLE.tag();
    /** Reason of a null value where a record was expected. */
    public static final String MISSING_VALUE = RejectReason.MISSING_VALUE.tag();
    /** Reason of a record of another type than the topic carries. */
    public static final String WRONG_RECORD_TYPE = RejectReason.WRONG_RECORD_TYPE.tag();

    /** Pauses between in-place retries while the registry cannot answer, about 4 s in all. */
    static final List<Duration> REGISTRY_RETRIES = List.of(Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2));

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

    /** How the thread waits between in-place retries; tests replace it. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Logger log = LoggerFactory.getLogger(DecodeOrDeadLetter.class);

    private final Deserializer<T> deserializer;
    private final Rules<T> rules;
    private final ToLongFunction<T> timestamp;
    private final RejectionListener listener;
    private final String appName;
    private final Pause pause;
    private ProcessorContext<String, Object> context;
    /** The child that takes rejected records; null: they are dropped (counted by the listener). */
    private String deadLetterNode;

    /**
     * @param timestamp the timestamp a valid record leaves with (e.g. its event time, so stream time
     *                  follows event time), or null to keep the record's own
     */
    public DecodeOrDeadLetter(Deserializer<T> deserializer, Rules<T> rules, ToLongFunction<T> timestamp,
            RejectionListener listener, String appName) {
        this(deserializer, rules, timestamp, listener, appName, d -> Thread.sleep(d.toMillis()));
    }

    DecodeOrDeadLetter(Deserializer<T> deserializer, Rules<T> rules, ToLongFunction<T> timestamp,
            RejectionListener listener, String appName, Pause pause) {
        this.deserializer = deserializer;
        this.rules = rules;
        this.timestamp = timestamp;
        this.listener = listener;
        this.appName = appName;
        this.pause = pause;
    }

    /**
     * Reads {@code topic} as bytes through this processor: rejected records go to {@code deadLetterTopic}
     * as received, valid ones are returned. Nodes are named {@code <name>-source}, {@code <name>-decode},
     * {@code <name>-dlq} and {@code <name>-dlq-sink}.
     *
     * <p>Valid records leave the decode node straight to the returned stream's processors: no branch,
     * no unwrapping node and no wrapper object per record. Every record passes through at least four
     * nodes of the topology this way, and each node costs a record copy and a hop (issue #19's profile
     * of metering). Rejected records are forwarded by name to {@code <name>-dlq} only; that node also
     * sees the valid records, as a sibling of the returned stream's processors, and ignores them.
     */
    public static <T> KStream<String, T> stream(StreamsBuilder builder, String name, String topic, String deadLetterTopic,
            Supplier<DecodeOrDeadLetter<T>> decode) {
        String deadLetters = name + "-dlq";
        KStream<String, Object> decoded = source(builder, name, topic, () -> decode.get().deadLettersTo(deadLetters));
        decoded.process(RawDeadLetter::new, Named.as(deadLetters))
                .to(deadLetterTopic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name + "-dlq-sink"));
        return valid(decoded);
    }

    /**
     * Reads {@code topic}, a topic whose validation another app owns, through this processor:
     * rejected records are dropped (the listener counts them), valid ones are returned. Nodes are
     * named {@code <name>-source} and {@code <name>-decode}.
     */
    public static <T> KStream<String, T> skipping(StreamsBuilder builder, String name, String topic,
            Supplier<DecodeOrDeadLetter<T>> decode) {
        return valid(source(builder, name, topic, decode::get));
    }

    private static KStream<String, Object> source(StreamsBuilder builder, String name, String topic,
            ProcessorSupplier<byte[], byte[], String, Object> decode) {
        return builder.stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name + "-source"))
                .process(decode, Named.as(name + "-decode"));
    }

    /** The decode node's output as its valid records: the only values it forwards to all its children are {@code T}s. */
    @SuppressWarnings("unchecked")
    private static <T> KStream<String, T> valid(KStream<String, Object> decoded) {
        return (KStream<String, T>) (KStream<String, ?>) decoded;
    }

    /** Rejected records go to the child {@code node} only, which sends them on to the dead-letter topic. */
    DecodeOrDeadLetter<T> deadLettersTo(String node) {
        this.deadLetterNode = node;
        return this;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        T value;
        try {
            value = decode(topic, record);
        } catch (RetryLaterException e) {
            throw e;
        } catch (WrongRecordTypeException e) {
            reject(record, topic, new Rejection(WRONG_RECORD_TYPE, e.getMessage()));
            return;
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
        context.forward(new Record<>(key, value, ts, record.headers()));
    }

    /** Decodes, retrying in place while the registry cannot answer; then gives up with {@link RetryLaterException}. */
    private T decode(String topic, Record<byte[], byte[]> record) {
        for (int attempt = 0; ; attempt++) {
            try {
                return deserializer.deserialize(topic, record.headers(), record.value());
            } catch (RuntimeException e) {
                if (!SchemaRegistryUnavailableException.isCause(e)) {
                    throw e;
                }
                if (attempt >= REGISTRY_RETRIES.size()) {
                    throw new RetryLaterException("The schema registry cannot answer, so a record of " + topic
                            + " cannot be decoded now", e);
                }
                if (attempt == 0) {
                    log.warn("Schema registry unavailable while decoding a record of {}; retrying: {}", topic, e.toString());
                }
                try {
                    pause.sleep(REGISTRY_RETRIES.get(attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new RetryLaterException("Interrupted while waiting for the schema registry", e);
                }
            }
        }
    }

    private void reject(Record<byte[], byte[]> record, String topic, Rejection rejection) {
        listener.rejected(topic, rejection.reason());
        Optional<RecordMetadata> source = context.recordMetadata();
        log.warn("Rejected record from {} partition {} offset {}: {} ({})", topic,
                source.map(RecordMetadata::partition).orElse(-1), source.map(RecordMetadata::offset).orElse(-1L),
                rejection.reason(), rejection.detail());
        if (deadLetterNode != null) {
            context.forward(new Record<>(null, new Rejected(record.key(), record.value()), record.timestamp(),
                    DeadLetters.headers(rejection.reason(), rejection.detail(), source, appName, context.currentSystemTimeMs())),
                    deadLetterNode);
        }
    }

    /** A rejected record's bytes exactly as received, on its way to the dead-letter topic. */
    record Rejected(byte[] key, byte[] value) {
    }

    /** The {@code <name>-dlq} node: passes on rejected records as received, ignores the valid ones. */
    private static final class RawDeadLetter implements Processor<String, Object, byte[], byte[]> {
        private ProcessorContext<byte[], byte[]> context;

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, Object> record) {
            if (record.value() instanceof Rejected rejected) {
                context.forward(new Record<>(rejected.key(), rejected.value(), record.timestamp(), record.headers()));
            }
        }
    }

    private static String describe(Throwable e) {
        StringBuilder detail = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            detail.append(": ").append(cause.getMessage());
        }
        return detail.toString();
    }
}
