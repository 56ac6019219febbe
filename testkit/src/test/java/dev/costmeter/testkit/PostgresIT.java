package dev.costmeter.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresIT {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.freshDatabase();

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
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT current_database()")) {
            result.next();
            String database = result.getString(1);
            assertThat(database).startsWith("costmeter_test_");
            assertThat(POSTGRES.jdbcUrl()).endsWith("/" + database);
        }
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
}
