package dev.costmeter.registry.store;

/**
 * A write was not confirmed in time; it may still be applied later. The registry answers 500 with
 * error code 50002.
 */
public class StoreTimeoutException extends StoreException {

  private static final long serialVersionUID = 1L;

  public StoreTimeoutException(String message) {
    super(message);
  }

  public StoreTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
