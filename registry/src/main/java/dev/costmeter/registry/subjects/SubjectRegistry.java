package dev.costmeter.registry.subjects;

import dev.costmeter.registry.compat.CompatibilityLevel;
import dev.costmeter.registry.store.SchemaStore;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The registry's operations over one store, grouped by what they do. Writers share one lock: this
 * process is the only writer of its store (there is no leader election), and the lock makes id
 * and version allocation race-free within it.
 */
public final class SubjectRegistry {

  private final SchemaLookups lookups;
  private final SchemaRegistration registration;
  private final SubjectDeletions deletions;
  private final CompatibilitySettings settings;

  public SubjectRegistry(SchemaStore store, CompatibilityLevel defaultLevel) {
    Lock writeLock = new ReentrantLock();
    this.settings = new CompatibilitySettings(store, defaultLevel);
    this.lookups = new SchemaLookups(store);
    this.registration = new SchemaRegistration(store, settings, writeLock);
    this.deletions = new SubjectDeletions(store, writeLock);
  }

  public SchemaLookups lookups() {
    return lookups;
  }

  public SchemaRegistration registration() {
    return registration;
  }

  public SubjectDeletions deletions() {
    return deletions;
  }

  public CompatibilitySettings settings() {
    return settings;
  }
}
