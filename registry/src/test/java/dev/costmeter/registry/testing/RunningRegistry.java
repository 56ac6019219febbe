package dev.costmeter.registry.testing;

import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A started registry server with a client pointing at it. */
public final class RunningRegistry implements AutoCloseable {

  private final SchemaRegistryServer server;
  private final RegistryTestClient client;

  private RunningRegistry(SchemaRegistryServer server) {
    this.server = server;
    this.client = new RegistryTestClient(server.baseUri());
  }

  /** An in-memory registry on a free loopback port. */
  public static RunningRegistry inMemory() {
    return start(RegistryServerConfig.builder().host("127.0.0.1").port(0).build());
  }

  public static RunningRegistry start(RegistryServerConfig config) {
    try {
      return new RunningRegistry(SchemaRegistryServer.start(config));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public SchemaRegistryServer server() {
    return server;
  }

  public RegistryTestClient client() {
    return client;
  }

  @Override
  public void close() {
    server.close();
  }
}
