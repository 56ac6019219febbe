package dev.costmeter.runtime.http;

import dev.costmeter.runtime.query.StateNotQueryableException;

/**
 * An application endpoint served by {@link OpsServer#route}. Exceptions become HTTP answers:
 * {@link org.apache.kafka.streams.errors.InvalidStateStoreException} (any subclass, e.g.
 * {@link StateNotQueryableException} or {@code StreamsNotStartedException}) → 503 with
 * {@code Retry-After: 1}; {@link IllegalArgumentException} → 400;
 * {@link java.util.NoSuchElementException} → 404; anything else → 500 with a generic message
 * (the exception is logged, never sent).
 */
@FunctionalInterface
public interface JsonRoute {

    /** Answers {@code request}; the body is serialised with Jackson. */
    JsonResponse handle(Request request) throws Exception;
}
