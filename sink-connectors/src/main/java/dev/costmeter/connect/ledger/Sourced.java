package dev.costmeter.connect.ledger;

import org.apache.kafka.connect.sink.SinkRecord;

/** A decoded value with the record it came from, so a failed row can be reported as that record. */
record Sourced<T>(T value, SinkRecord record) {
}
