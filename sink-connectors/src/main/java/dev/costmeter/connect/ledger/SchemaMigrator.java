package dev.costmeter.connect.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and migrates the ledger schema with the versioned SQL scripts shipped in this jar
 * ({@code migrations/V<n>__<description>.sql}), recording each in {@code schema_migrations}
 * with its SHA-256.
 *
 * <p>Why not Flyway: the connector needs a dozen lines of it, while Flyway 10+ adds two jars
 * (core plus its PostgreSQL module) and its own Jackson to every worker's plugin path. The rules
 * here are Flyway's: scripts apply in version order, each once, in its own transaction; an applied
 * script whose text changed is an error, never silently re-run.
 *
 * <p>Several tasks (or workers) may start at once: a transaction-scoped advisory lock serialises
 * them, so the second finds the versions already applied and does nothing.
 */
public final class SchemaMigrator {

    /** The scripts, in order. A new migration is appended here and never edits an older one. */
    static final List<String> SCRIPTS = List.of(
            "V1__ledger_rollups_outcomes.sql",
            "V2__reader_views.sql",
            "V3__pricing_dimensions.sql",
            "V4__corrections_and_focus.sql",
            "V5__levers_and_envelope.sql");

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    // An arbitrary constant shared by every costmeter ledger sink: "cmledger" in ASCII.
    private static final long ADVISORY_LOCK_KEY = 0x636d6c6564676572L;

    private final String schema;

    public SchemaMigrator(String schema) {
        this.schema = schema;
    }

    /** The latest version the scripts define. */
    public static int latestVersion() {
        return versionOf(SCRIPTS.get(SCRIPTS.size() - 1));
    }

    /** Applies every script not yet applied; returns how many it applied. */
    public int migrate(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            int applied = 0;
            for (String script : SCRIPTS) {
                if (applyInOwnTransaction(connection, script)) {
                    applied++;
                }
            }
            return applied;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The highest applied version, or 0 when the schema has none. */
    public int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT to_regclass('" + schema + ".schema_migrations') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return 0;
            }
        }
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT coalesce(max(version), 0) FROM " + schema + ".schema_migrations")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private boolean applyInOwnTransaction(Connection connection, String script) throws SQLException {
        int version = versionOf(script);
        String sql = read(script);
        String checksum = sha256(sql);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK_KEY + ")");
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            statement.execute("CREATE TABLE IF NOT EXISTS " + schema + ".schema_migrations ("
                    + "version INTEGER PRIMARY KEY, description TEXT NOT NULL, checksum TEXT NOT NULL, "
                    + "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            Map<Integer, String> applied = appliedChecksums(connection);
            if (applied.containsKey(version)) {
                connection.rollback();
                if (!applied.get(version).equals(checksum)) {
                    throw new ConnectException("Migration " + script + " was applied to schema " + schema
                            + " with another text (checksum " + applied.get(version) + ", now " + checksum
                            + "); applied migrations must never change");
                }
                return false;
            }
            statement.execute("SET LOCAL search_path TO " + schema);
            statement.execute(sql);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + schema
                    + ".schema_migrations (version, description, checksum) VALUES (?, ?, ?)")) {
                insert.setInt(1, version);
                insert.setString(2, script);
                insert.setString(3, checksum);
                insert.executeUpdate();
            }
            connection.commit();
            LOG.info("Applied ledger migration {} to schema {}", script, schema);
            return true;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    private Map<Integer, String> appliedChecksums(Connection connection) throws SQLException {
        Map<Integer, String> applied = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT version, checksum FROM " + schema + ".schema_migrations")) {
            while (rs.next()) {
                applied.put(rs.getInt(1), rs.getString(2));
            }
        }
        return applied;
    }

    static int versionOf(String script) {
        return Integer.parseInt(script.substring(1, script.indexOf("__")));
    }

    private static String read(String script) {
        try (InputStream in = SchemaMigrator.class.getResourceAsStream("migrations/" + script)) {
            if (in == null) {
                throw new IllegalStateException("Migration " + script + " is missing from the plugin jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read migration " + script, e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
