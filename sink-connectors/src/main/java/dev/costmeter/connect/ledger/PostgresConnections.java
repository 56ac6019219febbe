package dev.costmeter.connect.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Opens connections to the ledger database. The driver is called directly rather than through
 * {@link java.sql.DriverManager}, which only sees drivers of the caller's class loader and would
 * miss the one inside this plugin's isolated loader.
 */
final class PostgresConnections {

    private final LedgerSinkConfig config;
    private final Driver driver = new Driver();

    PostgresConnections(LedgerSinkConfig config) {
        this.config = config;
    }

    Connection open() throws SQLException {
        Properties props = new Properties();
        config.user().ifPresent(user -> props.setProperty("user", user));
        config.password().ifPresent(password -> props.setProperty("password", password.value()));
        props.setProperty("ApplicationName", "costmeter-ledger-sink");
        props.setProperty("currentSchema", config.dbSchema());
        props.setProperty("connectTimeout", "10");
        props.setProperty("tcpKeepAlive", "true");
        Connection connection = driver.connect(config.connectionUrl(), props);
        if (connection == null) {
            throw new SQLException("Not a PostgreSQL URL: " + PostgresUrlValidator.redacted(config.connectionUrl()), "08001");
        }
        return connection;
    }

    /** The URL without its query string, for log lines. */
    String describe() {
        return PostgresUrlValidator.redacted(config.connectionUrl()) + " schema " + config.dbSchema();
    }
}
