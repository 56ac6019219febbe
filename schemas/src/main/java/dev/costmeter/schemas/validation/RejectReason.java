package dev.costmeter.schemas.validation;

import java.util.Locale;

/**
 * Why a record of the usage or task-outcome topic is refused: the {@code costmeter.dlq.reason}
 * header of its dead letter and the tag of the rejected-records counters. metering-stream owns
 * these topics' validation and dead-letters; alerting-stream applies the same rules and skips.
 */
public enum RejectReason {
    /** Not Avro on the Confluent wire format, an unknown schema id, or a payload that does not decode. */
    UNDECODABLE,
    /** A null value (a tombstone) where a record was expected. */
    MISSING_VALUE,
    /** A required id is null or blank. */
    MISSING_FIELD,
    /** The record key is not the record's task_id, so it would land on the wrong partition. */
    KEY_MISMATCH,
    /** A token count, attempt or reported cost is negative. */
    NEGATIVE_VALUE,
    /** A token count is above the configured per-call maximum. */
    ABSURD_TOKENS,
    /** The event time is further in the future than the allowed clock skew. */
    FUTURE_EVENT,
    /** The event time is one a Kafka record timestamp cannot carry: before 1970-01-01T00:00:00Z. */
    INVALID_EVENT_TIME,
    /** The record decodes, but its writer schema is another record type than the topic carries. */
    WRONG_RECORD_TYPE,
    /** A dimension value contains a character reserved for keys ('|' or a control character). */
    INVALID_CHARACTER;

    /** Lower-case, hyphenated form for headers and metric tags. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The reason whose {@link #tag()} is {@code tag}. */
    public static RejectReason ofTag(String tag) {
        return valueOf(tag.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
