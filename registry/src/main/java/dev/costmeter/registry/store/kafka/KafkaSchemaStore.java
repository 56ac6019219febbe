package dev.costmeter.registry.store.kafka;

import dev.costmeter.registry.store.RegistryState;
import dev.costmeter.registry.store.SchemaStore;
import dev.costmeter.registry.store.StoreException;
import dev.costmeter.registry.store.StoreRecord;
import dev.costmeter.registry.store.StoreTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store whose log is a compacted, single-partition Kafka topic, in Confluent Schema Registry's
 * record format; the approach of Confluent's {@code KafkaStore}.
 *
 * <p>On start the topic is created (or verified) and read to its end before the store is returned.
 * A write is produced with an idempotent producer ({@code acks=all}) and acknowledged only once
 * this store's own reader has consumed past its offset, so the state always is the topic's state.
 *
 * <p>One registry instance is the writer. There is no leader election: two instances writing to
 * the same topic could allocate the same id or version.
 */
public final class KafkaSchemaStore implements SchemaStore {

  private static final Logger log = LoggerFactory.getLogger(KafkaSchemaStore.class);

  private final KafkaStoreConfig config;
  private final TopicPartition partition;
  private final RegistryState state;
  private final StoreRecordCodec codec;
  private final Producer<byte[], byte[]> producer;
  private final StoreReader reader;
  private final Thread readerThread;
  private volatile boolean closed;

  private KafkaSchemaStore(KafkaStoreConfig config, Producer<byte[], byte[]> producer,
      StoreReader reader, RegistryState state, StoreRecordCodec codec) {
    this.config = config;
    this.partition = new TopicPartition(config.topic(), 0);
    this.producer = producer;
    this.reader = reader;
    this.state = state;
    this.codec = codec;
    this.readerThread = new Thread(reader, "registry-store-reader-" + config.topic());
    this.readerThread.setDaemon(true);
    this.readerThread.start();
  }

  /**
   * Creates or verifies the topic, then reads it to its end.
   *
   * @throws StoreException when the topic is unfit or the store cannot catch up in time
   */
  public static KafkaSchemaStore start(KafkaStoreConfig config) {
    long deadline = System.nanoTime() + config.initTimeout().toNanos();
    TopicPartition partition = new TopicPartition(config.topic(), 0);
    RegistryState state = new RegistryState();
    StoreRecordCodec codec = new StoreRecordCodec();
    KafkaSchemaStore store = null;
    Admin admin = Admin.create(clientProperties(config, Map.of(
        CommonClientConfigs.CLIENT_ID_CONFIG, "costmeter-registry-admin")));
    try {
      new SchemasTopic(admin, config.topic(), config.replicationFactor(), deadline).ensure();
      store = create(config, state, codec);
      long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest()))
          .partitionResult(partition).get(remaining(deadline), TimeUnit.NANOSECONDS).offset();
      if (!store.reader.awaitPosition(end, Duration.ofNanos(remaining(deadline)))) {
        throw new StoreTimeoutException("Read " + config.topic() + " up to offset "
            + store.reader.position() + " of " + end + " within " + config.initTimeout());
      }
      log.info("Store caught up with topic {} at offset {}: {} subjects, highest schema id {}",
          config.topic(), end, state.subjects(true).size(), state.maxId());
      return store;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(store);
      throw new StoreException("Interrupted while starting the store", e);
    } catch (ExecutionException | TimeoutException e) {
      closeQuietly(store);
      throw new StoreTimeoutException("Cannot read the end offset of " + config.topic(), e);
    } catch (RuntimeException e) {
      closeQuietly(store);
      throw e;
    } finally {
      // Do not wait out the admin's own retries on failure; nothing is pending on success.
      admin.close(Duration.ZERO);
    }
  }

  private static KafkaSchemaStore create(
      KafkaStoreConfig config, RegistryState state, StoreRecordCodec codec) {
    Producer<byte[], byte[]> producer = newProducer(config);
    try {
      StoreReader reader = new StoreReader(
          newConsumer(config), new TopicPartition(config.topic(), 0), state, codec);
      return new KafkaSchemaStore(config, producer, reader, state, codec);
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
  }

  @Override
  public void append(StoreRecord record) {
    if (closed) {
      throw new StoreException("The Kafka store is closed");
    }
    ProducerRecord<byte[], byte[]> produced = new ProducerRecord<>(partition.topic(),
        partition.partition(), codec.encodeKey(record.key()), codec.encodeValue(record.value()));
    Duration timeout = config.writeTimeout();
    try {
      RecordMetadata metadata =
          producer.send(produced).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!reader.awaitPosition(metadata.offset() + 1, timeout)) {
        throw new StoreTimeoutException("Wrote offset " + metadata.offset() + " to "
            + partition.topic() + " but did not read it back within " + timeout);
      }
    } catch (TimeoutException e) {
      throw new StoreTimeoutException("Write to " + partition.topic()
          + " not acknowledged within " + timeout, e);
    } catch (ExecutionException e) {
      throw new StoreException("Write to " + partition.topic() + " failed: "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("Interrupted while writing to " + partition.topic(), e);
    }
  }

  @Override
  public RegistryState state() {
    return state;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    producer.close(Duration.ofSeconds(5));
    reader.stop();
    if (readerThread.isAlive()) {
      try {
        readerThread.join(Duration.ofSeconds(10).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    log.info("Store on topic {} closed", partition.topic());
  }

  private static Producer<byte[], byte[]> newProducer(KafkaStoreConfig config) {
    return new KafkaProducer<>(clientProperties(config, Map.of(
        CommonClientConfigs.CLIENT_ID_CONFIG, "costmeter-registry-writer",
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 0,
        // Without this a send to an unreachable cluster blocks for a minute before timing out.
        ProducerConfig.MAX_BLOCK_MS_CONFIG, config.writeTimeout().toMillis(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName())));
  }

  private static KafkaConsumer<byte[], byte[]> newConsumer(KafkaStoreConfig config) {
    return new KafkaConsumer<>(clientProperties(config, Map.of(
        CommonClientConfigs.CLIENT_ID_CONFIG, "costmeter-registry-reader",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName())));
  }

  /**
   * The user's client properties, then the bootstrap servers, then the settings the store's
   * correctness depends on, which the user cannot override.
   */
  private static Map<String, Object> clientProperties(
      KafkaStoreConfig config, Map<String, Object> enforced) {
    Map<String, Object> properties = new HashMap<>(config.clientProperties());
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    properties.putAll(enforced);
    return properties;
  }

  private static long remaining(long deadlineNanos) {
    return Math.max(deadlineNanos - System.nanoTime(), 0);
  }

  private static void closeQuietly(KafkaSchemaStore store) {
    if (store != null) {
      store.close();
    }
  }
}
