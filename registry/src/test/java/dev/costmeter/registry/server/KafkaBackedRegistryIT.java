package dev.costmeter.registry.server;

import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V1;
import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V2_WITHOUT_DEFAULT;
import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V2_WITH_DEFAULT;
import static dev.costmeter.registry.testing.PaymentSchemas.REFUND;
import static dev.costmeter.registry.testing.RegistryTestClient.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.registry.testing.EmbeddedKafka;
import dev.costmeter.registry.testing.RegistryTestClient;
import dev.costmeter.registry.testing.RunningRegistry;
import dev.costmeter.registry.testing.TopicReader;
import dev.costmeter.registry.testing.TopicReader.Entry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The registry on the Kafka store against a real in-JVM broker. */
class KafkaBackedRegistryIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopKafka() throws Exception {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void shouldRestoreSchemasVersionsIdsAndConfigsAfterARestart(TestInfo test) {
    String topic = topicFor(test);
    int paymentV1;
    int paymentV2;
    int refund;
    try (RunningRegistry first = registryOn(topic)) {
      RegistryTestClient client = first.client();
      paymentV1 = client.register("payments-value", PAYMENT_V1);
      paymentV2 = client.register("payments-value", PAYMENT_V2_WITH_DEFAULT);
      refund = client.register("refunds-value", REFUND);
      client.register("archive-value", PAYMENT_V1);
      client.put("/config", "{\"compatibility\":\"FULL\"}");
      client.setLevel("refunds-value", "NONE");
    }

    try (RunningRegistry second = registryOn(topic)) {
      RegistryTestClient client = second.client();

      assertThat(client.get("/subjects").body())
          .isEqualTo("[\"archive-value\",\"payments-value\",\"refunds-value\"]");
      assertThat(client.get("/subjects/payments-value/versions").body()).isEqualTo("[1,2]");
      assertThat(client.get("/subjects/payments-value/versions/2").json().get("id").asInt())
          .isEqualTo(paymentV2);
      assertThat(client.get("/schemas/ids/" + refund).json().get("schema").asText())
          .contains("Refund");
      assertThat(client.get("/schemas/ids/" + paymentV1 + "/versions").json()).hasSize(2);
      assertThat(client.get("/config").json().get("compatibilityLevel").asText())
          .isEqualTo("FULL");
      assertThat(client.get("/config/refunds-value").json().get("compatibilityLevel").asText())
          .isEqualTo("NONE");
      assertThat(client.register("payments-value", PAYMENT_V1)).isEqualTo(paymentV1);
      assertThat(client.register("orders-value", "\"string\"")).isEqualTo(refund + 1);
    }
  }

  @Test
  void shouldKeepSoftDeletesAcrossARestart(TestInfo test) {
    String topic = topicFor(test);
    int id;
    try (RunningRegistry first = registryOn(topic)) {
      RegistryTestClient client = first.client();
      id = client.register("payments-value", PAYMENT_V1);
      client.register("payments-value", PAYMENT_V2_WITH_DEFAULT);
      client.register("refunds-value", REFUND);
      assertThat(client.delete("/subjects/payments-value/versions/1").status()).isEqualTo(200);
      assertThat(client.delete("/subjects/refunds-value").status()).isEqualTo(200);
    }

    try (RunningRegistry second = registryOn(topic)) {
      RegistryTestClient client = second.client();

      assertThat(client.get("/subjects").body()).isEqualTo("[\"payments-value\"]");
      assertThat(client.get("/subjects?deleted=true").body())
          .isEqualTo("[\"payments-value\",\"refunds-value\"]");
      assertThat(client.get("/subjects/payments-value/versions").body()).isEqualTo("[2]");
      assertThat(client.get("/subjects/payments-value/versions?deleted=true").body())
          .isEqualTo("[1,2]");
      assertThat(client.get("/subjects/refunds-value/versions").errorCode()).isEqualTo(40401);
      assertThat(client.get("/schemas/ids/" + id).status()).isEqualTo(200);
      assertThat(client.delete("/subjects/refunds-value").errorCode()).isEqualTo(40404);
      assertThat(client.delete("/subjects/refunds-value?permanent=true").status())
          .isEqualTo(200);
    }
  }

  @Test
  void shouldEnforceCompatibilityAgainstRestoredVersions(TestInfo test) {
    String topic = topicFor(test);
    try (RunningRegistry first = registryOn(topic)) {
      first.client().register("payments-value", PAYMENT_V1);
    }

    try (RunningRegistry second = registryOn(topic)) {
      assertThat(second.client().post("/subjects/payments-value/versions",
          schemaBody(PAYMENT_V2_WITHOUT_DEFAULT)).status()).isEqualTo(409);
    }
  }

  @Test
  void shouldCreateTheTopicCompactedWithOnePartition(TestInfo test) throws Exception {
    String topic = topicFor(test);

    try (RunningRegistry registry = registryOn(topic); Admin admin = kafka.admin()) {
      TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(30, TimeUnit.SECONDS).get(topic);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      String policy = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
          .get(resource).get(TopicConfig.CLEANUP_POLICY_CONFIG).value();

      assertThat(description.partitions()).hasSize(1);
      assertThat(policy).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
    }
  }

  @Test
  void shouldRefuseATopicWithMoreThanOnePartition(TestInfo test) throws Exception {
    String topic = topicFor(test);
    createTopic(topic, 3, TopicConfig.CLEANUP_POLICY_COMPACT);

    assertThatThrownBy(() -> SchemaRegistryServer.start(config(topic)))
        .hasMessageContaining("has 3 partitions").hasMessageContaining("exactly 1");
  }

  @Test
  void shouldRefuseATopicThatIsNotCompacted(TestInfo test) throws Exception {
    String topic = topicFor(test);
    createTopic(topic, 1, TopicConfig.CLEANUP_POLICY_DELETE);

    assertThatThrownBy(() -> SchemaRegistryServer.start(config(topic)))
        .hasMessageContaining("cleanup.policy=delete")
        .hasMessageContaining("cleanup.policy=compact");
  }

  @Test
  void shouldWriteConfluentFormattedRecordsAndTombstonesOnPermanentDelete(TestInfo test) {
    String topic = topicFor(test);
    try (RunningRegistry registry = registryOn(topic)) {
      RegistryTestClient client = registry.client();
      client.register("payments-value", PAYMENT_V1);
      client.delete("/subjects/payments-value");
      client.delete("/subjects/payments-value?permanent=true");
    }

    List<Entry> log = TopicReader.readAll(kafka.bootstrapServers(), topic, TIMEOUT);

    String schemaKey = "{\"keytype\":\"SCHEMA\",\"subject\":\"payments-value\",\"version\":1,"
        + "\"magic\":1}";
    assertThat(log).extracting(Entry::key).containsSubsequence(
        schemaKey,
        "{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"payments-value\",\"magic\":0}",
        schemaKey);
    assertThat(log.get(0).value()).startsWith(
        "{\"subject\":\"payments-value\",\"version\":1,\"id\":1,\"schema\":");
    assertThat(log).contains(new Entry(schemaKey, null));
  }

  @Test
  void shouldServeSchemasWrittenToTheTopicInConfluentsFormat(TestInfo test) throws Exception {
    String topic = topicFor(test);
    createTopic(topic, 1, TopicConfig.CLEANUP_POLICY_COMPACT);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
      producer.send(new ProducerRecord<>(topic, "{\"keytype\":\"NOOP\",\"magic\":0}", null));
      producer.send(new ProducerRecord<>(topic,
          "{\"keytype\":\"SCHEMA\",\"subject\":\"legacy-value\",\"version\":1,\"magic\":1}",
          "{\"subject\":\"legacy-value\",\"version\":1,\"id\":41,\"schemaType\":\"AVRO\","
              + "\"schema\":\"\\\"string\\\"\",\"deleted\":false}"));
      producer.send(new ProducerRecord<>(topic, "not even json", "garbage"));
      producer.send(new ProducerRecord<>(topic,
          "{\"keytype\":\"CONFIG\",\"subject\":\"legacy-value\",\"magic\":0}",
          "{\"compatibilityLevel\":\"FORWARD\"}"));
      producer.flush();
    }

    try (RunningRegistry registry = registryOn(topic)) {
      RegistryTestClient client = registry.client();

      assertThat(client.get("/schemas/ids/41").json().get("schema").asText())
          .isEqualTo("\"string\"");
      assertThat(client.get("/config/legacy-value").json().get("compatibilityLevel").asText())
          .isEqualTo("FORWARD");
      assertThat(client.register("other-value", REFUND)).isEqualTo(42);
    }
  }

  private static RunningRegistry registryOn(String topic) {
    return RunningRegistry.start(config(topic));
  }

  private static RegistryServerConfig config(String topic) {
    return RegistryServerConfig.builder()
        .host("127.0.0.1")
        .port(0)
        .kafkaBootstrapServers(kafka.bootstrapServers())
        .schemasTopic(topic)
        .initTimeout(TIMEOUT)
        .build();
  }

  private static void createTopic(String topic, int partitions, String cleanupPolicy)
      throws Exception {
    try (Admin admin = kafka.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)
              .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy))))
          .all().get(30, TimeUnit.SECONDS);
    }
  }

  private static String topicFor(TestInfo test) {
    String method = test.getTestMethod().orElseThrow().getName();
    return "_schemas_" + method.substring(0, Math.min(method.length(), 60));
  }
}
