package dev.costmeter.runtime.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Headers for records that a processor routes to a dead-letter topic itself. Every value is
 * UTF-8 text; numbers are decimal and the failure time is ISO-8601 UTC
 * ({@code 2025-01-31T12:00:00Z}), so an operator can read them with any console consumer.
 */
public final class DeadLetters {

    /** Why the record was rejected: a short, stable, machine-readable code. */
    public static final String REASON = "costmeter.dlq.reason";
    /** Human-readable detail, at most {@value #MAX_DETAIL_CHARS} characters. */
    public static final String DETAIL = "costmeter.dlq.detail";
    /** Topic the rejected record was read from. */
    public static final String SOURCE_TOPIC = "costmeter.dlq.source.topic";
    /** Partition the rejected record was read from. */
    public static final String SOURCE_PARTITION = "costmeter.dlq.source.partition";
    /** Offset the rejected record was read from. */
    public static final String SOURCE_OFFSET = "costmeter.dlq.source.offset";
    /** The app that rejected it. */
    public static final String APP = "costmeter.dlq.app";
    /** When it was rejected. */
    public static final String FAILED_AT = "costmeter.dlq.failed.at";

    /** Reason of a record whose processing threw (an overflowing sum, a bug): see {@link DeadLetterProcessingHandler}. */
    public static final String PROCESSING_ERROR = "processing-error";

    /** Longer details are cut, so one bad record cannot produce an oversized DLQ record. */
    public static final int MAX_DETAIL_CHARS = 1000;

    private DeadLetters() {
    }

    /**
     * The DLQ headers for a record rejected by {@code app}.
     *
     * @param reason     required reason code
     * @param detail     optional detail (omitted when null), cut to {@value #MAX_DETAIL_CHARS} chars
     * @param source     where the record came from, when known; source fields the metadata lacks
     *                   (e.g. the topic of a punctuation) are omitted
     * @param app        the rejecting app's name
     * @param failedAtMs the rejection time in epoch milliseconds
     */
    public static Headers headers(String reason, String detail, Optional<RecordMetadata> source,
            String app, long failedAtMs) {
        return source.map(m -> headers(reason, detail, m.topic(), m.partition(), m.offset(), app, failedAtMs))
                .orElseGet(() -> headers(reason, detail, null, -1, -1L, app, failedAtMs));
    }

    /**
     * As {@link #headers(String, String, Optional, String, long)}, with the source given field by
     * field: a null topic and a negative partition or offset are omitted.
     */
    public static Headers headers(String reason, String detail, String sourceTopic, int sourcePartition,
            long sourceOffset, String app, long failedAtMs) {
        Headers headers = new RecordHeaders();
        add(headers, REASON, Objects.requireNonNull(reason, "reason"));
        if (detail != null) {
            add(headers, DETAIL, cut(detail));
        }
        if (sourceTopic != null) {
            add(headers, SOURCE_TOPIC, sourceTopic);
        }
        if (sourcePartition >= 0) {
            add(headers, SOURCE_PARTITION, Integer.toString(sourcePartition));
        }
        if (sourceOffset >= 0) {
            add(headers, SOURCE_OFFSET, Long.toString(sourceOffset));
        }
        add(headers, APP, Objects.requireNonNull(app, "app"));
        add(headers, FAILED_AT, Instant.ofEpochMilli(failedAtMs).toString());
        return headers;
    }

    /** The UTF-8 value of the last header {@code name}, if any: for tests and DLQ tooling. */
    public static Optional<String> value(Headers headers, String name) {
        return Optional.ofNullable(headers.lastHeader(name))
                .map(h -> h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
    }

    private static String cut(String detail) {
        if (detail.length() <= MAX_DETAIL_CHARS) {
            return detail;
        }
        int end = Character.isHighSurrogate(detail.charAt(MAX_DETAIL_CHARS - 1)) ? MAX_DETAIL_CHARS - 1 : MAX_DETAIL_CHARS;
        return detail.substring(0, end);
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
