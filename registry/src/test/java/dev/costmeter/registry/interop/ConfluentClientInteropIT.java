package dev.costmeter.registry.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.testing.EmbeddedKafka;
import dev.costmeter.registry.testing.RegistryTestClient;
import dev.costmeter.registry.testing.RunningRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drives the registry (on the Kafka store) with {@code @kafkajs/confluent-schema-registry}, a
 * third-party Confluent client for Node.js, and checks its output byte for byte: the Node script
 * registers the real {@link UsageEvent} schema, encodes a record and decodes it back; this test
 * then checks the Confluent wire format and decodes the payload with the schema fetched by id.
 * The Node project lives in {@code src/it/node}; it is installed with {@code npm ci} into a copy
 * under {@code target/}.
 */
class ConfluentClientInteropIT {

  private static final String SUBJECT = "llm.usage.v1-value";
  private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(2);

  private static EmbeddedKafka kafka;
  private static RunningRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(onPath("node") && onPath("npm"),
        "node and npm are not on PATH: skipping the @kafkajs/confluent-schema-registry interop"
            + " test");
    kafka = EmbeddedKafka.start();
    registry = RunningRegistry.start(RegistryServerConfig.builder()
        .host("127.0.0.1")
        .port(0)
        .kafkaBootstrapServers(kafka.bootstrapServers())
        .schemasTopic("_schemas_interop")
        .build());
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void shouldInteroperateWithTheKafkajsConfluentSchemaRegistryClient() throws Exception {
    Path project = copyNodeProject();
    run(project, List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), Map.of(),
        NPM_TIMEOUT, "npm-ci.log");
    Path schemaFile = project.resolve("usage-event.avsc");
    Files.writeString(schemaFile, UsageEvent.getClassSchema().toString());

    run(project, List.of("node", "interop.mjs"), Map.of(
        "REGISTRY_URL", registry.server().baseUri().toString(),
        "SCHEMA_FILE", schemaFile.toString(),
        "SUBJECT", SUBJECT,
        "OUTPUT_DIR", project.toString()), SCRIPT_TIMEOUT, "interop.log");

    RegistryTestClient client = registry.client();
    int registeredId = client.get("/subjects/" + SUBJECT + "/versions/latest").json()
        .get("id").asInt();
    JsonNode result = new ObjectMapper().readTree(project.resolve("result.json").toFile());
    assertThat(result.get("id").asInt()).isEqualTo(registeredId);
    assertThat(result.get("latestId").asInt()).isEqualTo(registeredId);
    assertThat(result.get("fetchedSchemaName").asText())
        .isEqualTo("dev.costmeter.contracts.UsageEvent");
    assertThat(client.get("/config/" + SUBJECT).json().get("compatibilityLevel").asText())
        .as("the client sets the subject's level on first registration")
        .isEqualTo("BACKWARD");

    byte[] encoded = Files.readAllBytes(project.resolve("usage-event.bin"));
    assertThat(encoded[0]).as("magic byte").isZero();
    assertThat(ByteBuffer.wrap(encoded, 1, 4).getInt()).as("schema id").isEqualTo(registeredId);

    Schema writerSchema = new Schema.Parser().parse(
        client.get("/schemas/ids/" + registeredId).json().get("schema").asText());
    assertThat(writerSchema).isEqualTo(UsageEvent.getClassSchema());
    UsageEvent event = decode(encoded, writerSchema);
    assertThat(event.getEventId()).isEqualTo("evt-interop-1");
    assertThat(event.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_767_225_600_000L));
    assertThat(event.getTenantId()).isEqualTo("acme");
    assertThat(event.getTaskId()).isEqualTo("ticket-42");
    assertThat(event.getPromptVersion()).isEqualTo("summarize@v7");
    assertThat(event.getEndUserId()).isNull();
    assertThat(event.getModel()).isEqualTo("claude-sonnet-4-5");
    assertThat(event.getInputTokens()).isEqualTo(1200L);
    assertThat(event.getOutputTokens()).isEqualTo(350L);
    assertThat(event.getCacheReadTokens()).isEqualTo(800L);
    assertThat(event.getAttempt()).isEqualTo(2);
    assertThat(event.getStep()).isEqualTo(3);
    assertThat(event.getStatus()).isEqualTo(CallStatus.RATE_LIMITED);
    assertThat(event.getProviderCostNanos()).isEqualTo(5_400_000L);
    assertThat(event.getLabels()).containsExactlyEntriesOf(Map.of("team", "support"));
  }

  @Test
  void shouldLetTheKafkajsClientRegisterThroughBasicAuthAndRefuseItsReadUser() throws Exception {
    Path project = copyNodeProject();
    run(project, List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), Map.of(),
        NPM_TIMEOUT, "npm-ci.log");
    Path schemaFile = project.resolve("usage-event.avsc");
    Files.writeString(schemaFile, UsageEvent.getClassSchema().toString());
    Path output = Files.createDirectories(project.resolve("basic-auth"));
    Path users = output.resolve("registry-users");
    // Hashes of "writer-pass" and "reader-pass": bcrypt for the writer, SHA-256 for the reader.
    Files.writeString(users, "writer:" + org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate("2y",
        "writer-pass".toCharArray(), new byte[16], 6) + " write\nreader:sha256:" + java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest("reader-pass".getBytes(StandardCharsets.UTF_8)))
        + " read\n");
    java.util.Properties properties = new java.util.Properties();
    properties.setProperty(RegistryServerConfig.HOST_CONFIG, "127.0.0.1");
    properties.setProperty(RegistryServerConfig.PORT_CONFIG, "0");
    properties.setProperty(RegistryServerConfig.AUTH_USERS_CONFIG, "file:" + users);
    try (RunningRegistry secured = RunningRegistry.start(RegistryServerConfig.fromProperties(properties))) {
      Map<String, String> env = Map.of("REGISTRY_URL", secured.server().baseUri().toString(),
          "SCHEMA_FILE", schemaFile.toString(), "SUBJECT", SUBJECT, "OUTPUT_DIR", output.toString());
      Map<String, String> asWriter = new java.util.HashMap<>(env);
      asWriter.putAll(Map.of("REGISTRY_USERNAME", "writer", "REGISTRY_PASSWORD", "writer-pass"));
      Map<String, String> asReader = new java.util.HashMap<>(env);
      asReader.putAll(Map.of("REGISTRY_USERNAME", "reader", "REGISTRY_PASSWORD", "reader-pass"));

      assertThat(exitCode(project, env, "interop-anonymous.log")).as("no credentials").isNotZero();
      assertThat(exitCode(project, asReader, "interop-reader.log")).as("a read user registers nothing").isNotZero();
      assertThat(Files.readString(project.resolve("interop-reader.log"))).contains("status: 403").contains("denied operation Write");
      run(project, List.of("node", "interop.mjs"), asWriter, SCRIPT_TIMEOUT, "interop-writer.log");

      JsonNode result = new ObjectMapper().readTree(output.resolve("result.json").toFile());
      assertThat(result.get("latestId").asInt()).isEqualTo(result.get("id").asInt());
      assertThat(result.get("fetchedSchemaName").asText()).isEqualTo("dev.costmeter.contracts.UsageEvent");
    }
  }

  private static int exitCode(Path project, Map<String, String> env, String logName) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(List.of("node", "interop.mjs")).directory(project.toFile())
        .redirectErrorStream(true).redirectOutput(project.resolve(logName).toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(SCRIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("node interop.mjs did not finish within " + SCRIPT_TIMEOUT);
    }
    return process.exitValue();
  }

  private static UsageEvent decode(byte[] encoded, Schema writerSchema) throws IOException {
    BinaryDecoder decoder = DecoderFactory.get()
        .binaryDecoder(encoded, 5, encoded.length - 5, null);
    UsageEvent event = new SpecificDatumReader<UsageEvent>(writerSchema,
        UsageEvent.getClassSchema()).read(null, decoder);
    assertThat(decoder.isEnd()).as("payload fully consumed").isTrue();
    return event;
  }

  private static Path copyNodeProject() throws IOException {
    Path basedir = Path.of(System.getProperty("basedir", "."));
    Path source = basedir.resolve("src/it/node");
    Path target = basedir.resolve("target/node-interop");
    Files.createDirectories(target);
    for (String file : List.of("package.json", "package-lock.json", "interop.mjs")) {
      Files.copy(source.resolve(file), target.resolve(file),
          StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  private static void run(Path directory, List<String> command, Map<String, String> env,
      Duration timeout, String logName) throws IOException, InterruptedException {
    Path log = directory.resolve(logName);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(directory.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
          + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
    assertThat(process.exitValue())
        .as("%s exited with %s:%n%s", String.join(" ", command), process.exitValue(),
            Files.readString(log, StandardCharsets.UTF_8))
        .isZero();
  }

  private static boolean onPath(String executable) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    try (Stream<String> directories = Stream.of(path.split(File.pathSeparator))) {
      return directories.filter(directory -> !directory.isBlank())
          .map(directory -> Path.of(directory, executable))
          .anyMatch(Files::isExecutable);
    }
  }
}
