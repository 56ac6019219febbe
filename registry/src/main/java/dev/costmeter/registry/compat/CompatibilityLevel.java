package dev.costmeter.registry.compat;

import java.util.Locale;
import java.util.Optional;

/**
 * The compatibility levels of Confluent Schema Registry. A non-transitive level checks a new schema
 * against the latest version of a subject only; a transitive level checks it against every version.
 */
public enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  /**
   * Parses a level name case-insensitively (Confluent accepts {@code "backward"} as well as
   * {@code "BACKWARD"}).
   *
   * @return the level, or empty when the name is null or unknown
   */
  public static Optional<CompatibilityLevel> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String normalized = name.trim().toUpperCase(Locale.ROOT);
    for (CompatibilityLevel level : values()) {
      if (level.name().equals(normalized)) {
        return Optional.of(level);
      }
    }
    return Optional.empty();
  }

  /** True when new schemas must be able to read data written with earlier ones. */
  public boolean checksBackward() {
    return backward;
  }

  /** True when earlier schemas must be able to read data written with new ones. */
  public boolean checksForward() {
    return forward;
  }

  /** True when the check runs against every earlier version, not only the latest. */
  public boolean isTransitive() {
    return transitive;
  }
}
