package dev.costmeter.faults.check;

/**
 * One record read from the usage DLQ.
 *
 * @param valueSha256 SHA-256 (hex) of the value bytes, as received
 * @param reason      header {@code costmeter.dlq.reason}
 * @param sourceTopic header {@code costmeter.dlq.source.topic}
 * @param app         header {@code costmeter.dlq.app}
 */
public record DeadLetter(String valueSha256, String key, String reason, String sourceTopic, String app) {
}
