package dev.costmeter.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

// PER_CLASS: the constructor's DataSource is resolved before any beforeAll callback has run.
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresIT {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.freshDatabase();

    private final DataSource injected;

    PostgresIT(DataSource injected) {
        this.injected = injected;
    }

    @AfterEach
    void clearExternalServer() {
        System.clearProperty(TestEnvironment.PG_URL);
        System.clearProperty(TestEnvironment.PG_USER);
        System.clearProperty(TestEnvironment.PG_PASSWORD);
    }

    @Test
    void shouldReadBackRowsInsertedIntoANewTable() throws Exception {
        try (Connection connection = POSTGRES.connection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE tenant_cost (tenant TEXT PRIMARY KEY, micros BIGINT NOT NULL)");
            }
            try (PreparedStatement insert =
                         connection.prepareStatement("INSERT INTO tenant_cost (tenant, micros) VALUES (?, ?)")) {
                insert.setString(1, "acme");
                insert.setLong(2, 1_250_000L);
                insert.addBatch();
                insert.setString(1, "globex");
                insert.setLong(2, 42L);
                insert.addBatch();
                insert.executeBatch();
            }

            List<String> rows = new ArrayList<>();
            try (Statement query = connection.createStatement();
                 ResultSet result = query.executeQuery("SELECT tenant, micros FROM tenant_cost ORDER BY tenant")) {
                while (result.next()) {
                    rows.add(result.getString("tenant") + "=" + result.getLong("micros"));
                }
            }
            assertThat(rows).containsExactly("acme=1250000", "globex=42");
        }
    }

    @Test
    void shouldGiveTheClassADatabaseOfItsOwn(DataSource dataSource) throws Exception {
        String database = currentDatabase(dataSource);

        assertThat(database).startsWith("costmeter_test_");
        assertThat(POSTGRES.jdbcUrl()).endsWith("/" + database);
        assertThat(currentDatabase(injected)).isEqualTo(database);
    }

    @Test
    void shouldExposeCredentialsThatWorkWithThePlainDriver() throws Exception {
        try (Connection connection =
                     DriverManager.getConnection(POSTGRES.jdbcUrl(), POSTGRES.user(), POSTGRES.password());
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT 1")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void shouldCreateAndThenDropAFreshDatabaseOnAnExternalServer() throws Exception {
        // The class's own server stands in for an external one.
        System.setProperty(TestEnvironment.PG_URL, POSTGRES.jdbcUrl() + "?ApplicationName=testkit");
        System.setProperty(TestEnvironment.PG_USER, POSTGRES.user());

        PostgresDatabase fresh = PostgresDatabase.start();
        String database;
        try {
            assertThat(fresh.jdbcUrl()).doesNotStartWith(POSTGRES.jdbcUrl()).endsWith("?ApplicationName=testkit");
            try (Connection connection = DriverManager.getConnection(fresh.jdbcUrl(), fresh.user(), fresh.password())) {
                database = currentDatabase(connection);
            }
            assertThat(database).startsWith("costmeter_test_").isNotEqualTo(currentDatabase(injected));
        } finally {
            fresh.close();
        }

        assertThat(databaseExists(database)).isFalse();
    }

    @Test
    void shouldUseTheConfiguredDatabaseWhenTheUserMayNotCreateDatabases() throws Exception {
        try (Connection connection = POSTGRES.connection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE testkit_reader LOGIN NOCREATEDB");
        }
        System.setProperty(TestEnvironment.PG_URL, POSTGRES.jdbcUrl());
        System.setProperty(TestEnvironment.PG_USER, "testkit_reader");

        PostgresDatabase shared = PostgresDatabase.start();
        try {
            assertThat(shared.jdbcUrl()).isEqualTo(POSTGRES.jdbcUrl());
            assertThat(shared.user()).isEqualTo("testkit_reader");
        } finally {
            shared.close();
        }
        assertThat(databaseExists(currentDatabase(injected))).isTrue();
    }

    private static String currentDatabase(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return currentDatabase(connection);
        }
    }

    private static String currentDatabase(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT current_database()")) {
            result.next();
            return result.getString(1);
        }
    }

    private static boolean databaseExists(String name) throws SQLException {
        try (Connection connection = POSTGRES.connection();
             PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet result = query.executeQuery()) {
                return result.next();
            }
        }
    }
}
