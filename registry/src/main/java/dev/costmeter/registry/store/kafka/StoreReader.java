package dev.costmeter.registry.store.kafka;

import dev.costmeter.registry.store.RegistryState;
import dev.costmeter.registry.store.StoreRecord;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the schemas topic from the beginning, forever, applying each record to the state, and
 * tells writers when a given offset has been applied. It is the only path into the state, which
 * is therefore exactly the topic's content up to {@link #position()}.
 *
 * <p>A record that cannot be decoded is logged with its offset and skipped; it never stops the
 * reader.
 */
final class StoreReader implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(StoreReader.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  private static final long ERROR_BACKOFF_MS = 1_000;

  private final Consumer<byte[], byte[]> consumer;
  private final TopicPartition partition;
  private final RegistryState state;
  private final StoreRecordCodec codec;
  private final Object progress = new Object();
  private long position;
  private volatile boolean running = true;

  StoreReader(Consumer<byte[], byte[]> consumer, TopicPartition partition, RegistryState state,
      StoreRecordCodec codec) {
    this.consumer = consumer;
    this.partition = partition;
    this.state = state;
    this.codec = codec;
  }

  @Override
  public void run() {
    try {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (running) {
        pollOnce();
      }
    } catch (WakeupException e) {
      if (running) {
        log.error("Reader of {} woken up unexpectedly; stopping", partition, e);
      }
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      log.debug("Reader of {} stopped at offset {}", partition, position());
    }
  }

  /**
   * Waits until every record before {@code offset} has been applied.
   *
   * @return false if the deadline passed first
   */
  boolean awaitPosition(long offset, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (position < offset) {
        long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMs <= 0 || !running) {
          return false;
        }
        progress.wait(remainingMs);
      }
      return true;
    }
  }

  /** The offset of the next record to apply. */
  long position() {
    synchronized (progress) {
      return position;
    }
  }

  /** Stops the reader; its thread ends soon after and closes the consumer. */
  void stop() {
    running = false;
    consumer.wakeup();
    synchronized (progress) {
      progress.notifyAll();
    }
  }

  private void pollOnce() {
    try {
      ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
      for (ConsumerRecord<byte[], byte[]> record : records) {
        apply(record);
      }
      advanceTo(consumer.position(partition));
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      log.warn("Reading {} failed at offset {}; retrying in {} ms", partition, position(),
          ERROR_BACKOFF_MS, e);
      backOff();
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> record) {
    try {
      Optional<StoreRecord> decoded = codec.decode(record.key(), record.value());
      if (decoded.isPresent()) {
        state.apply(decoded.get());
      } else {
        log.debug("Ignoring record of an unused key type at {}-{} offset {}", record.topic(),
            record.partition(), record.offset());
      }
    } catch (RuntimeException e) {
      // One bad record must not stop the registry from reading the rest of its log.
      log.warn("Skipping unreadable record at {}-{} offset {}: {}", record.topic(),
          record.partition(), record.offset(), e.getMessage());
    }
    advanceTo(record.offset() + 1);
  }

  private void advanceTo(long next) {
    synchronized (progress) {
      if (next > position) {
        position = next;
        progress.notifyAll();
      }
    }
  }

  private void backOff() {
    try {
      Thread.sleep(ERROR_BACKOFF_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
