package dev.costmeter.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record decodes, but is not the record type its reader expects: its writer schema names another
 * record (say a {@code PricedUsage} on the usage topic). Avro's schema resolution alone would read
 * it happily when the fields line up, so the reader checks the full name first.
 */
public class WrongRecordTypeException extends SerializationException {

    private final String expected;
    private final String actual;

    public WrongRecordTypeException(String topic, int schemaId, String expected, String actual) {
        super("Schema id " + schemaId + " on topic " + topic + " is a " + actual + ", not a " + expected);
        this.expected = expected;
        this.actual = actual;
    }

    /** The full name the reader expects. */
    public String expected() {
        return expected;
    }

    /** The full name of the writer's record. */
    public String actual() {
        return actual;
    }
}
