package dev.costmeter.registry.store;

import java.util.Objects;

/**
 * One entry of the registry's log: a key and its new value, or a tombstone when the value is null.
 *
 * @param key what the record is about
 * @param value the new value, or null to remove the key
 */
public record StoreRecord(StoreKey key, StoreValue value) {

  public StoreRecord {
    Objects.requireNonNull(key, "key");
    if (value != null && !matches(key, value)) {
      throw new IllegalArgumentException(
          "Value " + value.getClass().getSimpleName() + " does not belong to key " + key);
    }
  }

  /** Stores a schema version. */
  public static StoreRecord of(SchemaVersion version) {
    return new StoreRecord(version.key(), version);
  }

  /** Removes the value stored under {@code key}. */
  public static StoreRecord tombstone(StoreKey key) {
    return new StoreRecord(key, null);
  }

  /** True when this record removes its key. */
  public boolean isTombstone() {
    return value == null;
  }

  private static boolean matches(StoreKey key, StoreValue value) {
    if (key instanceof SchemaKey schemaKey && value instanceof SchemaVersion version) {
      return schemaKey.equals(version.key());
    }
    if (key instanceof DeleteSubjectKey deleteKey && value instanceof DeleteSubjectValue delete) {
      return deleteKey.subject().equals(delete.subject());
    }
    return key instanceof ConfigKey && value instanceof ConfigValue;
  }
}
