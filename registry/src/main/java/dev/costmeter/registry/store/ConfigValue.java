package dev.costmeter.registry.store;

import dev.costmeter.registry.compat.CompatibilityLevel;
import java.util.Objects;

/**
 * A compatibility setting.
 *
 * @param compatibilityLevel the level in force
 */
public record ConfigValue(CompatibilityLevel compatibilityLevel) implements StoreValue {
  public ConfigValue {
    Objects.requireNonNull(compatibilityLevel, "compatibilityLevel");
  }
}
