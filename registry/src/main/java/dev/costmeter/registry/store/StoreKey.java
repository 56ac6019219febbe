package dev.costmeter.registry.store;

/**
 * The key of a record in the registry's log. Mirrors the key types Confluent Schema Registry writes
 * to its {@code _schemas} topic, so the log is the same shape whichever store holds it.
 */
public sealed interface StoreKey permits SchemaKey, ConfigKey, DeleteSubjectKey {
}
