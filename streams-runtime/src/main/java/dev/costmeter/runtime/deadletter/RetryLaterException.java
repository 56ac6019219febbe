package dev.costmeter.runtime.deadletter;

/**
 * A record cannot be processed now for a reason outside the record itself, such as a schema
 * registry that cannot be reached: dead-lettering it would throw away a valid record. Thrown from a
 * processor, it makes {@link DeadLetterProcessingHandler} fail the stream thread instead: under
 * exactly-once the open transaction aborts, and the replacement thread resumes from the last commit
 * and meets the record again.
 */
public class RetryLaterException extends RuntimeException {

    public RetryLaterException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code e} or one of its causes is a {@link RetryLaterException}. */
    public static boolean isCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetryLaterException) {
                return true;
            }
        }
        return false;
    }
}
