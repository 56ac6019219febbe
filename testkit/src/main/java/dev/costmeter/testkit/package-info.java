/**
 * JUnit 5 extensions that give a test class real infrastructure: a Kafka cluster
 * ({@link dev.costmeter.testkit.KafkaClusterExtension}, handing out a
 * {@link dev.costmeter.testkit.KafkaCluster}), our schema registry on it
 * ({@link dev.costmeter.testkit.SchemaRegistryExtension}) and a PostgreSQL database
 * ({@link dev.costmeter.testkit.PostgresExtension}). Each is started once per test class and
 * stopped after it; each can be pointed at an external service through an environment variable.
 *
 * <p>For quiet test output, include {@code costmeter-testkit-logback.xml} from the module's
 * {@code logback-test.xml}.
 */
package dev.costmeter.testkit;
