package dev.costmeter.testkit;

import java.util.Optional;

/** Reads a testkit switch from a system property first, then from the environment. */
final class TestEnvironment {

    /** Bootstrap servers of an external Kafka cluster to use instead of starting one. */
    static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    /** {@code testcontainers} asks for a Kafka container when Docker is available. */
    static final String KAFKA_MODE = "COSTMETER_KAFKA";
    /** Image for the Testcontainers mode; defaults to apache/kafka at the client version. */
    static final String KAFKA_IMAGE = "COSTMETER_KAFKA_IMAGE";
    /** URL of an external schema registry to use instead of starting one. */
    static final String SCHEMA_REGISTRY_URL = "SCHEMA_REGISTRY_URL";
    static final String PG_URL = "COSTMETER_PG_URL";
    static final String PG_USER = "COSTMETER_PG_USER";
    static final String PG_PASSWORD = "COSTMETER_PG_PASSWORD";

    private TestEnvironment() {
    }

    /** A system property wins over the environment so a single test run can override a CI variable. */
    static Optional<String> get(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
