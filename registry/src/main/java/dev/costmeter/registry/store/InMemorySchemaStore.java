package dev.costmeter.registry.store;

/**
 * A store whose log lives only in memory; everything is lost on close. For unit tests and
 * throw-away local runs.
 */
public final class InMemorySchemaStore implements SchemaStore {

  private final RegistryState state = new RegistryState();
  private volatile boolean closed;

  @Override
  public void append(StoreRecord record) {
    if (closed) {
      throw new StoreException("The in-memory store is closed");
    }
    state.apply(record);
  }

  @Override
  public RegistryState state() {
    return state;
  }

  @Override
  public void close() {
    closed = true;
  }
}
