package dev.costmeter.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.testing.RegistryTestClient;
import dev.costmeter.registry.testing.RegistryTestClient.Response;
import dev.costmeter.registry.testing.RunningRegistry;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.registry.RestSchemaRegistryClient;
import dev.costmeter.schemas.registry.SchemaRegistryException;
import dev.costmeter.schemas.registry.SchemaRegistryUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic auth with read and write roles, and read-only mode, on a real server (random port, in memory). */
class RegistryAuthTest {

  private static final String SCHEMA =
      "{\"type\":\"record\",\"name\":\"Usage\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";
  private static final String WRITER = "ci-writer:" + "w-pass-3f9c";
  private static final String READER = "metering:" + "r-pass-81aa";

  @TempDir
  Path dir;

  private Path usersFile() throws Exception {
    String bcrypt = OpenBSDBCrypt.generate("2y", "w-pass-3f9c".toCharArray(), new byte[16], 6);
    String sha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest("r-pass-81aa".getBytes(StandardCharsets.UTF_8)));
    Path file = dir.resolve("registry-users");
    Files.writeString(file, "# name:hash role\nci-writer:" + bcrypt + "  write\nmetering:sha256:" + sha256 + "  read\n");
    return file;
  }

  private RunningRegistry start(boolean readOnly) throws Exception {
    Properties properties = new Properties();
    properties.setProperty(RegistryServerConfig.PORT_CONFIG, "0");
    properties.setProperty(RegistryServerConfig.AUTH_USERS_CONFIG, "file:" + usersFile());
    properties.setProperty(RegistryServerConfig.READ_ONLY_CONFIG, Boolean.toString(readOnly));
    return RunningRegistry.start(RegistryServerConfig.fromProperties(properties));
  }

  private static Map<String, String> basic(String userInfo) {
    return Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void shouldAnswer401WithABasicChallengeWithoutValidCredentials() throws Exception {
    try (RunningRegistry registry = start(false)) {
      RegistryTestClient client = registry.client();

      Response none = client.get("/subjects");
      Response wrongPassword = client.send("GET", "/subjects", null, basic("ci-writer:guess"));
      Response unknownUser = client.send("GET", "/subjects", null, basic("nobody:w-pass-3f9c"));
      Response bearer = client.send("GET", "/subjects", null, Map.of("Authorization", "Bearer w-pass-3f9c"));

      for (Response refused : new Response[] {none, wrongPassword, unknownUser, bearer}) {
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.errorCode()).isEqualTo(401);
      }
      assertThat(client.send("POST", "/subjects/x-value/versions", RegistryTestClient.schemaBody(SCHEMA), Map.of()).status())
          .isEqualTo(401);
      assertThat(client.get("/").status()).as("the root, {}, stays open for health probes").isEqualTo(200);
      assertThat(client.get("/").body()).isEqualTo("{}");
    }
  }

  @Test
  void shouldLetAReadUserReadAndLookUpButNotWrite() throws Exception {
    try (RunningRegistry registry = start(false)) {
      RegistryTestClient client = registry.client();
      Response registered = client.send("POST", "/subjects/usage-value/versions", RegistryTestClient.schemaBody(SCHEMA), basic(WRITER));
      assertThat(registered.status()).as(registered.body()).isEqualTo(200);

      assertThat(client.send("GET", "/subjects", null, basic(READER)).body()).contains("usage-value");
      assertThat(client.send("POST", "/subjects/usage-value", RegistryTestClient.schemaBody(SCHEMA), basic(READER)).status())
          .as("lookup is a read").isEqualTo(200);
      assertThat(client.send("POST", "/compatibility/subjects/usage-value/versions/latest",
          RegistryTestClient.schemaBody(SCHEMA), basic(READER)).status()).as("a compatibility test is a read").isEqualTo(200);

      Response register = client.send("POST", "/subjects/other-value/versions", RegistryTestClient.schemaBody(SCHEMA), basic(READER));
      Response setNone = client.send("PUT", "/config/usage-value", "{\"compatibility\":\"NONE\"}", basic(READER));
      Response delete = client.send("DELETE", "/subjects/usage-value", null, basic(READER));
      for (Response refused : new Response[] {register, setNone, delete}) {
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo(40301);
        assertThat(refused.message()).startsWith("User metering is denied operation Write on Subject: ");
      }
      assertThat(client.send("GET", "/subjects/usage-value/versions", null, basic(READER)).body()).isEqualTo("[1]");
      assertThat(client.send("GET", "/config/usage-value", null, basic(WRITER)).status()).as("still no subject level").isEqualTo(404);
    }
  }

  @Test
  void shouldRefuseEveryWriteInReadOnlyModeAsConfluentDoes() throws Exception {
    try (RunningRegistry registry = start(true)) {
      RegistryTestClient client = registry.client();

      Response register = client.send("POST", "/subjects/usage-value/versions", RegistryTestClient.schemaBody(SCHEMA), basic(WRITER));
      Response global = client.send("PUT", "/config", "{\"compatibility\":\"NONE\"}", basic(WRITER));

      assertThat(register.status()).isEqualTo(422);
      assertThat(register.errorCode()).isEqualTo(42205);
      assertThat(register.message()).isEqualTo("Subject usage-value is in read-only mode");
      assertThat(global.status()).isEqualTo(422);
      assertThat(global.errorCode()).isEqualTo(42205);
      assertThat(client.send("GET", "/mode", null, basic(READER)).json().path("mode").asText()).isEqualTo("READONLY");
      assertThat(client.send("GET", "/subjects", null, basic(READER)).status()).isEqualTo(200);
    }
  }

  @Test
  void shouldLetOurClientRegisterAndReadWithConfluentBasicAuthSettings() throws Exception {
    try (RunningRegistry registry = start(false)) {
      String url = registry.server().baseUri().toString();
      Schema schema = new Schema.Parser().parse(SCHEMA);
      RestSchemaRegistryClient writer = new RestSchemaRegistryClient(RegistryClientConfig.from(Map.of(
          RegistryClientConfig.URL, url, RegistryClientConfig.BASIC_AUTH_SOURCE, "USER_INFO",
          RegistryClientConfig.BASIC_AUTH_USER_INFO, WRITER)));
      RestSchemaRegistryClient reader = new RestSchemaRegistryClient(RegistryClientConfig.from(Map.of(
          RegistryClientConfig.URL, url.replace("://", "://" + READER + "@"),
          RegistryClientConfig.BASIC_AUTH_SOURCE, "URL")));

      int id = writer.register("usage-value", schema);

      assertThat(reader.schemaById(id)).isEqualTo(schema);
      assertThat(reader.idOf("usage-value", schema)).isEqualTo(id);
      assertThatThrownBy(() -> reader.register("other-value", schema))
          .isInstanceOf(SchemaRegistryException.class)
          .satisfies(e -> assertThat(((SchemaRegistryException) e).status()).isEqualTo(403));
    }
  }

  @Test
  void shouldTreatRefusedCredentialsAsTheRegistryNotAnsweringRatherThanABadRecord() throws Exception {
    try (RunningRegistry registry = start(false)) {
      RestSchemaRegistryClient wrong = new RestSchemaRegistryClient(RegistryClientConfig.from(Map.of(
          RegistryClientConfig.URL, registry.server().baseUri().toString(),
          RegistryClientConfig.BASIC_AUTH_SOURCE, "USER_INFO", RegistryClientConfig.BASIC_AUTH_USER_INFO, "metering:old-password")));

      // A reader dead-letters records whose schema the registry says does not exist, and retries
      // when the registry cannot answer: wrong credentials must be the second kind, or every
      // record read during a credential mix-up would be dead-lettered.
      assertThatThrownBy(() -> wrong.schemaById(1))
          .satisfies(e -> assertThat(SchemaRegistryUnavailableException.isCause(e)).as(e.toString()).isTrue());
    }
  }

  @Test
  void shouldRefuseToListenBeyondLoopbackWithoutUsersUnlessDisabledExplicitly() throws Exception {
    RegistryServerConfig exposed = RegistryServerConfig.builder().host("0.0.0.0").port(0).build();
    assertThatThrownBy(() -> RunningRegistry.start(exposed))
        .hasStackTraceContaining("not a loopback address")
        .hasStackTraceContaining(RegistryServerConfig.AUTH_USERS_CONFIG);

    try (RunningRegistry open = RunningRegistry.start(RegistryServerConfig.builder().host("0.0.0.0").port(0)
        .authDisabled(true).build())) {
      assertThat(open.client().get("/subjects").status()).isEqualTo(200);
    }
    assertThat(RegistryServerConfig.builder().build().host()).isEqualTo("127.0.0.1");
  }

  @Test
  void shouldRefuseAPlainPasswordOrAnUnknownRoleInTheUsersFileWithoutEchoingIt() throws Exception {
    Path plain = dir.resolve("plain");
    Files.writeString(plain, "ci-writer:hunter2-plain write\n");
    Path role = dir.resolve("role");
    Files.writeString(role, "ci-writer:sha256:" + "ab".repeat(32) + " admin\n");

    assertThatThrownBy(() -> RegistryUsers.load(plain)).hasMessageContaining("line 1")
        .hasMessageContaining("never the password itself").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> RegistryUsers.load(role)).hasMessageContaining("read or write");
    Properties properties = new Properties();
    properties.setProperty(RegistryServerConfig.AUTH_USERS_CONFIG, dir.resolve("missing").toString());
    assertThatThrownBy(() -> RegistryServerConfig.fromProperties(properties)).hasMessageContaining("file:<path>");
  }
}
