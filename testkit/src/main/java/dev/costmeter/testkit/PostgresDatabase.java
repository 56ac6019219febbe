package dev.costmeter.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One test class's database, on an embedded server it owns or on an external server. */
final class PostgresDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresDatabase.class);
    private static final String EMBEDDED_USER = "postgres";
    // jdbc:postgresql://host[:port][,host2...]/database[?params]
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?$");

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Cleanup cleanup;

    @FunctionalInterface
    private interface Cleanup {
        void run() throws Exception;
    }

    private PostgresDatabase(String jdbcUrl, String user, String password, Cleanup cleanup) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.cleanup = cleanup;
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    static PostgresDatabase start() throws Exception {
        Optional<String> external = TestEnvironment.get(TestEnvironment.PG_URL);
        if (external.isPresent()) {
            return onExternalServer(external.get(),
                    TestEnvironment.get(TestEnvironment.PG_USER).orElse("postgres"),
                    TestEnvironment.get(TestEnvironment.PG_PASSWORD).orElse(""));
        }
        return onEmbeddedServer();
    }

    private static PostgresDatabase onEmbeddedServer() throws Exception {
        // Durability is worthless for a throwaway server and costs seconds of fsync on every test.
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .start();
        try {
            String database = freshDatabaseName();
            try (Connection connection = server.getPostgresDatabase().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + database);
            }
            String url = "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
            return new PostgresDatabase(url, EMBEDDED_USER, "", server::close);
        } catch (Exception | Error e) {
            closeQuietly(server, e);
            throw e;
        }
    }

    /**
     * Creates a fresh database next to the configured one when the user may; otherwise uses the
     * configured database as it is, since a CI service account without CREATEDB is common.
     */
    private static PostgresDatabase onExternalServer(String url, String user, String password) throws SQLException {
        Matcher matcher = URL.matcher(url);
        if (!matcher.matches()) {
            LOG.warn("Using {} as it is: cannot derive a fresh database from this URL", redacted(url));
            return new PostgresDatabase(url, user, password, () -> { });
        }
        String database = freshDatabaseName();
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            LOG.warn("Using {} as it is, shared with other test classes: cannot create a database there ({})",
                    redacted(url), e.getMessage());
            return new PostgresDatabase(url, user, password, () -> { });
        }
        String freshUrl = matcher.group(1) + database + Optional.ofNullable(matcher.group(3)).orElse("");
        return new PostgresDatabase(freshUrl, user, password, () -> dropDatabase(url, user, password, database));
    }

    private static void dropDatabase(String url, String user, String password, String database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            // FORCE ends connections a test leaked, which would otherwise block the drop.
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** The URL without its parameters, which may carry a password. */
    static String redacted(String url) {
        int parameters = url.indexOf('?');
        return parameters < 0 ? url : url.substring(0, parameters) + "?...";
    }

    private static String freshDatabaseName() {
        return "costmeter_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    private static void closeQuietly(AutoCloseable closeable, Throwable failure) {
        try {
            closeable.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    void close() throws Exception {
        cleanup.run();
    }

    @Override
    public String toString() {
        return redacted(jdbcUrl);
    }
}
