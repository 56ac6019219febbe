package dev.costmeter.registry.subjects;

import dev.costmeter.registry.store.ConfigKey;
import dev.costmeter.registry.store.DeleteSubjectKey;
import dev.costmeter.registry.store.DeleteSubjectValue;
import dev.costmeter.registry.store.RegistryState;
import dev.costmeter.registry.store.SchemaStore;
import dev.costmeter.registry.store.SchemaVersion;
import dev.costmeter.registry.store.StoreRecord;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Soft and permanent deletion of subjects and versions, Confluent's two-step way: a version must
 * be soft-deleted before it can be deleted permanently. Permanent deletion writes tombstones, so
 * compaction eventually removes the data from the log.
 */
public final class SubjectDeletions {

  private static final Logger log = LoggerFactory.getLogger(SubjectDeletions.class);

  private final SchemaStore store;
  private final Lock writeLock;

  /**
   * @param writeLock the lock registrations hold, so a deletion never interleaves with one
   */
  public SubjectDeletions(SchemaStore store, Lock writeLock) {
    this.store = Objects.requireNonNull(store, "store");
    this.writeLock = Objects.requireNonNull(writeLock, "writeLock");
  }

  /**
   * Deletes a subject. A soft delete hides its live versions and drops its compatibility level; a
   * permanent delete removes versions that were soft-deleted before.
   *
   * @return the version numbers deleted
   * @throws RegistryException 404/40401 unknown subject, 404/40404 already soft-deleted,
   *     404/40405 permanent delete of a subject not soft-deleted first
   */
  public List<Integer> deleteSubject(String subject, boolean permanent) {
    writeLock.lock();
    try {
      RegistryState state = store.state();
      List<SchemaVersion> all = state.versions(subject, true);
      if (all.isEmpty()) {
        throw RegistryException.subjectNotFound(subject);
      }
      List<SchemaVersion> live = state.versions(subject, false);
      return permanent ? purgeSubject(subject, all, live) : softDeleteSubject(subject, live);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Deletes one version of a subject; {@code latest} means the latest live version (for a
   * permanent delete, the latest version even if soft-deleted).
   *
   * @return the version number deleted
   * @throws RegistryException 404/40401 unknown subject, 404/40402 unknown version, 404/40406
   *     already soft-deleted, 404/40407 permanent delete of a version not soft-deleted first
   */
  public int deleteVersion(String subject, VersionId versionId, boolean permanent) {
    writeLock.lock();
    try {
      RegistryState state = store.state();
      if (state.versions(subject, true).isEmpty()) {
        throw RegistryException.subjectNotFound(subject);
      }
      SchemaVersion version = (versionId.isLatest()
          ? state.latest(subject, permanent)
          : state.version(subject, versionId.number()))
          .orElseThrow(() -> RegistryException.versionNotFound(versionId.number()));
      if (permanent && !version.deleted()) {
        throw RegistryException.versionNotSoftDeleted(subject, version.version());
      }
      if (!permanent && version.deleted()) {
        throw RegistryException.versionSoftDeleted(subject, version.version());
      }
      store.append(permanent
          ? StoreRecord.tombstone(version.key())
          : StoreRecord.of(version.asDeleted()));
      log.info("{} version {} of subject {}",
          permanent ? "Permanently deleted" : "Soft-deleted", version.version(), subject);
      return version.version();
    } finally {
      writeLock.unlock();
    }
  }

  private List<Integer> softDeleteSubject(String subject, List<SchemaVersion> live) {
    if (live.isEmpty()) {
      throw RegistryException.subjectSoftDeleted(subject);
    }
    int watermark = live.get(live.size() - 1).version();
    store.append(new StoreRecord(
        new DeleteSubjectKey(subject), new DeleteSubjectValue(subject, watermark)));
    if (store.state().subjectLevel(subject).isPresent()) {
      store.append(StoreRecord.tombstone(new ConfigKey(subject)));
    }
    log.info("Soft-deleted subject {} up to version {}", subject, watermark);
    return live.stream().map(SchemaVersion::version).toList();
  }

  private List<Integer> purgeSubject(
      String subject, List<SchemaVersion> all, List<SchemaVersion> live) {
    if (!live.isEmpty()) {
      throw RegistryException.subjectNotSoftDeleted(subject);
    }
    for (SchemaVersion version : all) {
      store.append(StoreRecord.tombstone(version.key()));
    }
    store.append(StoreRecord.tombstone(new DeleteSubjectKey(subject)));
    log.info("Permanently deleted subject {} ({} versions)", subject, all.size());
    return all.stream().map(SchemaVersion::version).toList();
  }
}
