package dev.costmeter.client.usage.providers;

/**
 * A provider's usage object that cannot be mapped without guessing: a required count is missing,
 * a count is not a non-negative whole number, or the counts contradict each other (more cached
 * tokens than prompt tokens). Nothing is clamped: a wrong number silently billed is worse than a
 * loud one.
 */
public class UsageShapeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UsageShapeException(String message) {
        super(message);
    }

    public UsageShapeException(String message, Throwable cause) {
        super(message, cause);
    }
}
