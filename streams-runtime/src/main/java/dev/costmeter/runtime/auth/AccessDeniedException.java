package dev.costmeter.runtime.auth;

/**
 * The caller is known but may not read what it asked for: answered 403 with the message and no
 * data. The message names what was refused, never the data itself.
 */
public final class AccessDeniedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AccessDeniedException(String message) {
        super(message, null, false, false);
    }
}
