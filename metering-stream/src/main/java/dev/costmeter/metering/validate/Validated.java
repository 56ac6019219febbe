package dev.costmeter.metering.validate;

/**
 * The result of decoding and validating one record: the value, or why it was rejected together
 * with the bytes exactly as received, so the dead-letter topic gets the original record.
 */
public record Validated<T>(T value, Rejection rejection, byte[] rawKey, byte[] rawValue) {

    static <T> Validated<T> ok(T value) {
        return new Validated<>(value, null, null, null);
    }

    static <T> Validated<T> rejected(Rejection rejection, byte[] rawKey, byte[] rawValue) {
        return new Validated<>(null, rejection, rawKey, rawValue);
    }

    public boolean isRejected() {
        return rejection != null;
    }
}
