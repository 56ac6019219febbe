package dev.costmeter.runtime.query;

import dev.costmeter.runtime.http.OpsServer;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * State cannot be queried right now, typically during a rebalance or restoration, or because
 * the instance that owns the key did not answer; the caller should retry shortly. {@link OpsServer}
 * answers it with 503 and {@code Retry-After: 1}.
 */
public class StateNotQueryableException extends InvalidStateStoreException {

    private static final long serialVersionUID = 1L;

    public StateNotQueryableException(String message) {
        super(message);
    }

    public StateNotQueryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
