package dev.costmeter.registry.store;

/** The value of a record in the registry's log; a null value is a tombstone. */
public sealed interface StoreValue permits SchemaVersion, ConfigValue, DeleteSubjectValue {
}
