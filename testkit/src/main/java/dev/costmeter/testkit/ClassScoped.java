package dev.costmeter.testkit;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Holds one resource for the test class that first asked for it and closes it when that class
 * ends. Nested classes and the class's own callbacks see the same resource; a base class's static
 * extension reused by several subclasses gets a fresh resource for each of them, because classes
 * run one after the other.
 */
final class ClassScoped<T> {

    @FunctionalInterface
    interface Starter<T> {
        T start() throws Exception;
    }

    @FunctionalInterface
    interface Closer<T> {
        void close(T resource) throws Exception;
    }

    private final String description;
    private final Closer<T> closer;
    private T resource;
    private String ownerId;

    ClassScoped(String description, Closer<T> closer) {
        this.description = description;
        this.closer = closer;
    }

    synchronized T acquire(ExtensionContext context, Starter<T> starter) throws Exception {
        if (resource == null) {
            if (context.getTestMethod().isPresent()) {
                // Only class-level callbacks can stop what they start; a method context never would.
                throw new ExtensionConfigurationException(description + " is not running. Register its"
                        + " extension on a static field with @RegisterExtension.");
            }
            resource = starter.start();
            ownerId = context.getUniqueId();
        }
        return resource;
    }

    synchronized void release(ExtensionContext context) throws Exception {
        if (resource == null || !context.getUniqueId().equals(ownerId)) {
            return;
        }
        T closing = resource;
        resource = null;
        ownerId = null;
        closer.close(closing);
    }

    /** Closes the resource whichever class started it: its owner is going away. */
    synchronized void releaseAny() throws Exception {
        if (resource == null) {
            return;
        }
        T closing = resource;
        resource = null;
        ownerId = null;
        closer.close(closing);
    }

    synchronized T get() {
        if (resource == null) {
            throw new IllegalStateException(description + " is not running. Register its extension on a"
                    + " static field with @RegisterExtension and use it from @BeforeAll, @BeforeEach or a test.");
        }
        return resource;
    }
}
