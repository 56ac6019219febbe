package dev.costmeter.registry.store;

/** The store could not read or write its log; the registry answers 500 with error code 50001. */
public class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
