package dev.costmeter.runtime.deadletter;

/**
 * A record decoded by {@link DecodeOrDeadLetter}: its value, or why it was rejected together with
 * the bytes exactly as received, so the dead-letter topic gets the original record.
 *
 * @param <T> the decoded type
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
