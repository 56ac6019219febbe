package dev.costmeter.schemas.registry;

/**
 * The registry could not answer: it is unreachable, timed out or answered with a server error
 * (HTTP 5xx). Unlike a {@link SchemaRegistryException} with a 4xx status ("this id does not
 * exist"), this says nothing about the record being read: the same call may succeed later, so a
 * reader must retry (or stop and resume later) rather than dead-letter the record.
 */
public class SchemaRegistryUnavailableException extends SchemaRegistryException {

    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public SchemaRegistryUnavailableException(String message, int status, int errorCode) {
        super(message, status, errorCode);
    }

    /** Whether {@code e}, or one of its causes, says the registry could not answer. */
    public static boolean isCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SchemaRegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
