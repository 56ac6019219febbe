package dev.costmeter.registry.store;

/**
 * Where the registry keeps its state: an append-only log of {@link StoreRecord}s, materialized into
 * a {@link RegistryState} that every read goes to.
 *
 * <p>{@link #append} returns only once the record is visible in {@link #state()}, so a caller that
 * reads after writing sees its own write. Implementations are thread-safe, but callers that
 * allocate ids or versions must serialize their read-then-append sequences themselves.
 */
public interface SchemaStore extends AutoCloseable {

  /**
   * Appends a record and waits until the state reflects it.
   *
   * @throws StoreException if the record could not be written
   * @throws StoreTimeoutException if the write was not confirmed in time
   */
  void append(StoreRecord record);

  /** The materialized state; reads on it see every record appended so far. */
  RegistryState state();

  /** Releases the store's resources; further appends fail. */
  @Override
  void close();
}
