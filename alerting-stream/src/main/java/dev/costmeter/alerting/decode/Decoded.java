package dev.costmeter.alerting.decode;

/**
 * A decoded record, or why it could not be decoded together with the bytes exactly as received,
 * so the dead-letter topic gets the original record.
 */
public record Decoded<T>(T value, String reason, String detail, byte[] rawKey, byte[] rawValue) {

    static <T> Decoded<T> ok(T value) {
        return new Decoded<>(value, null, null, null, null);
    }

    static <T> Decoded<T> rejected(String reason, String detail, byte[] rawKey, byte[] rawValue) {
        return new Decoded<>(null, reason, detail, rawKey, rawValue);
    }

    public boolean isRejected() {
        return reason != null;
    }
}
