package dev.costmeter.registry.subjects;

import dev.costmeter.registry.compat.CompatibilityLevel;
import dev.costmeter.registry.store.ConfigKey;
import dev.costmeter.registry.store.ConfigValue;
import dev.costmeter.registry.store.SchemaStore;
import dev.costmeter.registry.store.StoreRecord;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global and per-subject compatibility levels. Until a global level is written, the server's
 * configured default applies.
 */
public final class CompatibilitySettings {

  private static final Logger log = LoggerFactory.getLogger(CompatibilitySettings.class);

  private final SchemaStore store;
  private final CompatibilityLevel defaultLevel;

  public CompatibilitySettings(SchemaStore store, CompatibilityLevel defaultLevel) {
    this.store = Objects.requireNonNull(store, "store");
    this.defaultLevel = Objects.requireNonNull(defaultLevel, "defaultLevel");
  }

  /** The global level. */
  public CompatibilityLevel globalLevel() {
    return store.state().globalLevel().orElse(defaultLevel);
  }

  /** The level a subject is checked with: its own if set, otherwise the global one. */
  public CompatibilityLevel effectiveLevel(String subject) {
    return store.state().subjectLevel(subject).orElseGet(this::globalLevel);
  }

  /**
   * The subject's own level.
   *
   * @param defaultToGlobal answer the global level when the subject has none
   * @throws RegistryException 404/40408 when the subject has no level and no fallback is asked for
   */
  public CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
    Optional<CompatibilityLevel> own = store.state().subjectLevel(subject);
    if (own.isPresent()) {
      return own.get();
    }
    if (defaultToGlobal) {
      return globalLevel();
    }
    throw RegistryException.subjectLevelNotConfigured(subject);
  }

  /**
   * Sets the global level.
   *
   * @throws RegistryException 422/42203 for an unknown level
   */
  public CompatibilityLevel setGlobalLevel(String level) {
    CompatibilityLevel parsed = parse(level);
    store.append(new StoreRecord(ConfigKey.global(), new ConfigValue(parsed)));
    log.info("Global compatibility level set to {}", parsed);
    return parsed;
  }

  /**
   * Sets a subject's own level; the subject need not exist yet.
   *
   * @throws RegistryException 422/42203 for an unknown level
   */
  public CompatibilityLevel setSubjectLevel(String subject, String level) {
    CompatibilityLevel parsed = parse(level);
    store.append(new StoreRecord(new ConfigKey(subject), new ConfigValue(parsed)));
    log.info("Compatibility level of subject {} set to {}", subject, parsed);
    return parsed;
  }

  /**
   * Removes a subject's own level so the global one applies again.
   *
   * @return the level that was removed
   * @throws RegistryException 404/40401 when the subject has no level of its own (as Confluent)
   */
  public CompatibilityLevel deleteSubjectLevel(String subject) {
    CompatibilityLevel previous = store.state().subjectLevel(subject)
        .orElseThrow(() -> RegistryException.subjectNotFound(subject));
    store.append(StoreRecord.tombstone(new ConfigKey(subject)));
    log.info("Compatibility level of subject {} removed (was {})", subject, previous);
    return previous;
  }

  private static CompatibilityLevel parse(String level) {
    return CompatibilityLevel.parse(level)
        .orElseThrow(RegistryException::invalidCompatibilityLevel);
  }
}
