package dev.costmeter.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a test class a fresh, empty PostgreSQL database of its own:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresExtension POSTGRES = PostgresExtension.freshDatabase();
 *
 * @Test
 * void shouldStoreRollups() throws SQLException {
 *     try (Connection connection = POSTGRES.connection()) { ... }
 * }
 * }</pre>
 *
 * <p>By default an embedded PostgreSQL server is started for the class (real PostgreSQL binaries,
 * no Docker) and deleted after it. When {@code COSTMETER_PG_URL} (a JDBC URL, with
 * {@code COSTMETER_PG_USER} and {@code COSTMETER_PG_PASSWORD}) is set, that server is used
 * instead: the class gets a new database beside the configured one, dropped afterwards, or, when
 * the user may not create databases, the configured database itself.
 *
 * <p>A {@link DataSource} parameter of a test constructor or method is resolved to
 * {@link #dataSource()}.
 */
public final class PostgresExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresExtension.class);

    private final ClassScoped<PostgresDatabase> database =
            new ClassScoped<>("PostgreSQL database", PostgresDatabase::close);

    private PostgresExtension() {
    }

    /** A new database for each test class that registers the extension. */
    public static PostgresExtension freshDatabase() {
        return new PostgresExtension();
    }

    /** JDBC URL of the class's database, without credentials. */
    public String jdbcUrl() {
        return database.get().jdbcUrl();
    }

    /** User owning the class's database. */
    public String user() {
        return database.get().user();
    }

    /** Password of {@link #user()}; empty for the embedded server, which trusts local connections. */
    public String password() {
        return database.get().password();
    }

    /** A non-pooling data source for the class's database. */
    public DataSource dataSource() {
        PostgresDatabase current = database.get();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(current.jdbcUrl());
        dataSource.setUser(current.user());
        dataSource.setPassword(current.password());
        return dataSource;
    }

    /** A new connection to the class's database; the caller closes it. */
    public Connection connection() throws SQLException {
        return dataSource().getConnection();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        database.acquire(context, () -> start(context));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        database.get();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        database.release(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == DataSource.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        try {
            database.acquire(extensionContext, () -> start(extensionContext));
        } catch (Exception e) {
            throw new ParameterResolutionException("Could not start PostgreSQL", e);
        }
        return dataSource();
    }

    private static PostgresDatabase start(ExtensionContext context) throws Exception {
        long startedAt = System.nanoTime();
        PostgresDatabase started = PostgresDatabase.start();
        LOG.info("PostgreSQL database for {} ready in {} ms: {}", context.getDisplayName(),
                Duration.ofNanos(System.nanoTime() - startedAt).toMillis(), started);
        return started;
    }
}
