package dev.costmeter.registry.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;

/**
 * Counts requests being handled so that closing can wait for them: the JDK server's own
 * {@code stop(delay)} either cuts them off or, on JDK 17, waits out the whole delay.
 */
final class InFlightRequests implements HttpHandler {

  private final HttpHandler delegate;
  private final Object lock = new Object();
  private int count;

  InFlightRequests(HttpHandler delegate) {
    this.delegate = delegate;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    synchronized (lock) {
      count++;
    }
    try {
      delegate.handle(exchange);
    } finally {
      synchronized (lock) {
        count--;
        if (count == 0) {
          lock.notifyAll();
        }
      }
    }
  }

  /** Waits until no request is in flight; false if the timeout passed first. */
  boolean awaitIdle(long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    synchronized (lock) {
      while (count > 0) {
        long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMs <= 0) {
          return false;
        }
        try {
          lock.wait(remainingMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }
}
