package dev.costmeter.registry.http;

import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V1;
import static dev.costmeter.registry.testing.RegistryTestClient.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.costmeter.registry.compat.CompatibilityLevel;
import dev.costmeter.registry.store.InMemorySchemaStore;
import dev.costmeter.registry.store.RegistryState;
import dev.costmeter.registry.store.SchemaStore;
import dev.costmeter.registry.store.StoreException;
import dev.costmeter.registry.store.StoreRecord;
import dev.costmeter.registry.store.StoreTimeoutException;
import dev.costmeter.registry.subjects.SubjectRegistry;
import dev.costmeter.registry.testing.RegistryTestClient;
import dev.costmeter.registry.testing.RegistryTestClient.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistryHttpHandlerTest {

  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void shouldAnswer50001WhenTheStoreFailsToWrite() throws IOException {
    RegistryTestClient client = serve(new FailingStore(
        () -> new StoreException("broker unreachable"), null));

    Response response = client.post("/subjects/s/versions", schemaBody(PAYMENT_V1));

    assertThat(response.status()).isEqualTo(500);
    assertThat(response.errorCode()).isEqualTo(50001);
    assertThat(response.message()).contains("broker unreachable");
  }

  @Test
  void shouldAnswer50002WhenAWriteTimesOut() throws IOException {
    RegistryTestClient client = serve(new FailingStore(
        () -> new StoreTimeoutException("not read back in time"), null));

    Response response = client.put("/config", "{\"compatibility\":\"NONE\"}");

    assertThat(response.status()).isEqualTo(500);
    assertThat(response.errorCode()).isEqualTo(50002);
  }

  @Test
  void shouldAnswer500WithoutAStackTraceOnAnUnexpectedFailure() throws IOException {
    RegistryTestClient client = serve(new FailingStore(null,
        () -> new IllegalStateException("secret internals")));

    Response response = client.get("/subjects");

    assertThat(response.status()).isEqualTo(500);
    assertThat(response.errorCode()).isEqualTo(500);
    assertThat(response.body()).doesNotContain("secret internals")
        .doesNotContain("IllegalStateException").doesNotContain("\tat ");
  }

  private RegistryTestClient serve(SchemaStore store) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", new RegistryHttpHandler(
        new SubjectRegistry(store, CompatibilityLevel.BACKWARD)));
    server.start();
    return new RegistryTestClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
  }

  /** A store whose writes and/or reads fail with the given exceptions. */
  private static final class FailingStore implements SchemaStore {
    private final InMemorySchemaStore delegate = new InMemorySchemaStore();
    private final Supplier<RuntimeException> onAppend;
    private final Supplier<RuntimeException> onRead;

    FailingStore(Supplier<RuntimeException> onAppend, Supplier<RuntimeException> onRead) {
      this.onAppend = onAppend;
      this.onRead = onRead;
    }

    @Override
    public void append(StoreRecord record) {
      if (onAppend != null) {
        throw onAppend.get();
      }
      delegate.append(record);
    }

    @Override
    public RegistryState state() {
      if (onRead != null) {
        throw onRead.get();
      }
      return delegate.state();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
