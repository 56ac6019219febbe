package dev.costmeter.registry.store;

/**
 * Identifies a compatibility setting: the global one when {@code subject} is null, otherwise the
 * subject's own.
 *
 * @param subject the subject, or null for the global setting
 */
public record ConfigKey(String subject) implements StoreKey {

  /** The key of the global compatibility setting. */
  public static ConfigKey global() {
    return new ConfigKey(null);
  }
}
