package dev.costmeter.connect.ledger;

import dev.costmeter.connect.Version;
import dev.costmeter.connect.decode.RecordDecoder;
import dev.costmeter.contracts.CostRollup;
import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.TaskOutcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one {@code put()} of ledger, rollup and task-outcome records in a single transaction of
 * batched upserts, then its applied corrections ({@code LedgerCorrection}, into
 * {@code ledger_corrections}) in a second; both are idempotent.
 *
 * <ul>
 *   <li>A record that cannot be decoded goes to the errant-record reporter (the connector's
 *       dead-letter queue) alone; the rest of the batch is written.</li>
 *   <li>A transient database error (see {@link SqlErrors}) asks Connect to redeliver the same
 *       batch after {@code retry.backoff.ms}, doubling with each retry in a row up to
 *       {@code retry.backoff.max.ms}; the task fails only once the errors have lasted both
 *       {@code max.retries} retries and the sum of their backoffs (about 6.5 minutes with the
 *       defaults: long enough for a PostgreSQL that replays its WAL after a crash). The upserts
 *       are idempotent, so the rewrite counts nothing twice.</li>
 *   <li>Any other database error is a data error: the batch is retried record by record, and only
 *       the records that fail alone are reported.</li>
 * </ul>
 */
public final class LedgerSinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerSinkTask.class);

    private LedgerSinkConfig config;
    private RecordDecoder decoder;
    private LedgerWriter writer;
    /** Transient failures in a row (batches or schema checks); 0 after any success. */
    private int failuresInARow;
    /** When the current run of transient failures began, on {@link #nanoClock}. */
    private long failingSinceNanos;
    private final LongSupplier nanoClock;

    public LedgerSinkTask() {
        this(System::nanoTime);
    }

    /** With a given clock: tests advance it instead of waiting out backoffs. */
    LedgerSinkTask(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }
    /** Whether the ledger schema is known to be current; false until a start or put could check it. */
    private boolean schemaReady;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new LedgerSinkConfig(props);
        decoder = new RecordDecoder(config.registryConfigs());
        PostgresConnections connections = new PostgresConnections(config);
        writer = new LedgerWriter(connections, config.writeMethod(), config.batchMaxRows());
        failuresInARow = 0;
        try {
            prepareSchema(writer.connection());
            schemaReady = true;
        } catch (SQLException e) {
            writer.close();
            if (!SqlErrors.isTransient(e)) {
                throw new ConnectException("Cannot prepare the ledger schema at " + connections.describe()
                        + ": " + e.getMessage(), e);
            }
            // The database is restarting, unreachable or overloaded right now: failing here would fail the
            // task for good (Connect does not restart a task that fails to start). The first put() tries
            // again, with the same backoff and retry budget as a batch.
            LOG.warn("Cannot prepare the ledger schema at {} yet ({}: {}); trying again before the first batch",
                    connections.describe(), e.getSQLState(), e.getMessage());
        }
        LOG.info("Ledger sink task writing to {}", connections.describe());
    }

    private void ensureSchema() {
        if (schemaReady) {
            return;
        }
        try {
            prepareSchema(writer.connection());
            schemaReady = true;
            failuresInARow = 0;
        } catch (SQLException e) {
            writer.close();
            if (SqlErrors.isTransient(e)) {
                retryLater(e);
            }
            throw new ConnectException("Cannot prepare the ledger schema: " + e.getMessage(), e);
        }
    }

    private void prepareSchema(Connection connection) throws SQLException {
        SchemaMigrator migrator = new SchemaMigrator(config.dbSchema());
        if (config.migrate()) {
            migrator.migrate(connection);
        }
        int current = migrator.currentVersion(connection);
        connection.commit();
        if (current < SchemaMigrator.latestVersion()) {
            throw new ConnectException("The ledger schema " + config.dbSchema() + " is at version " + current
                    + " but this plugin needs " + SchemaMigrator.latestVersion()
                    + "; apply the migrations or set " + LedgerSinkConfig.MIGRATE_CONFIG + "=true");
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        ensureSchema();
        LedgerBatch batch = new LedgerBatch();
        List<Undecodable> undecodable = new ArrayList<>();
        for (SinkRecord record : records) {
            try {
                add(batch, record);
            } catch (DataException e) {
                undecodable.add(new Undecodable(record, e));
            } catch (RetriableException e) {
                // The registry cannot answer: nothing of the batch is written yet; Connect redelivers it.
                LOG.warn("{}; retrying the batch in {} ms", e.getMessage(), config.retryBackoff().toMillis());
                context.timeout(config.retryBackoff().toMillis());
                throw e;
            }
        }
        write(batch);
        // Reported only once the batch is written: a redelivery after a transient error must not
        // put the same bad record in the dead-letter queue twice.
        undecodable.forEach(u -> report(u.record(), u.error()));
    }

    private void add(LedgerBatch batch, SinkRecord record) {
        if (config.isCorrections(record.topic())) {
            batch.corrections.add(new Sourced<>(decoder.decode(record, LedgerCorrection.class), record));
            return;
        }
        RecordKind kind = config.kindOf(record.topic())
                .orElseThrow(() -> new DataException("Record " + RecordDecoder.coordinates(record)
                        + " comes from a topic this connector is not configured for"));
        switch (kind) {
            case PRICED_USAGE -> batch.usage.add(new Sourced<>(decoder.decode(record, PricedUsage.class), record));
            case COST_ROLLUP -> batch.rollups.add(new Sourced<>(decoder.decode(record, CostRollup.class), record));
            case TASK_OUTCOME -> batch.outcomes.add(new Sourced<>(decoder.decode(record, TaskOutcome.class), record));
            default -> throw new IllegalStateException(kind.name());
        }
    }

    private void write(LedgerBatch batch) {
        if (batch.size() == 0) {
            return;
        }
        try {
            writeAll(batch);
            failuresInARow = 0;
        } catch (SQLException e) {
            if (SqlErrors.isTransient(e)) {
                retryLater(e);
            }
            LOG.warn("Batch of {} records refused ({}: {}); writing them one by one to find the culprit",
                    batch.size(), e.getSQLState(), e.getMessage());
            writeOneByOne(batch);
        }
    }

    private void writeOneByOne(LedgerBatch batch) {
        for (LedgerBatch single : batch.singles()) {
            try {
                writeAll(single);
            } catch (SQLException e) {
                if (SqlErrors.isTransient(e)) {
                    retryLater(e);
                }
                report(single.only().record(), e);
            }
        }
        failuresInARow = 0;
    }

    /** The batch's ledger, rollups and outcomes in one transaction, then its corrections in another. */
    private void writeAll(LedgerBatch batch) throws SQLException {
        writer.write(batch);
        writer.writeCorrections(batch.corrections);
    }

    /**
     * Asks Connect to redeliver the batch after the next backoff, or fails the task once transient
     * errors have lasted both {@code max.retries} attempts and the time those retries' backoffs add
     * up to. The time counts, not only the attempts: Connect redelivers after the requested wait or
     * at its next offset commit, whichever comes first ({@code offset.flush.interval.ms}, 5 s in the
     * shipped worker config), so counting attempts alone would give up after 10 × 5 s.
     */
    private void retryLater(SQLException e) {
        long now = nanoClock.getAsLong();
        if (failuresInARow == 0) {
            failingSinceNanos = now;
        }
        Duration failingFor = Duration.ofNanos(now - failingSinceNanos);
        Duration budget = config.databaseBackoff().total(config.maxRetries());
        if (failuresInARow >= config.maxRetries() && failingFor.compareTo(budget) >= 0) {
            throw new ConnectException("Database still failing after " + failuresInARow + " retries over "
                    + failingFor.toSeconds() + " s (" + e.getSQLState() + "): " + e.getMessage(), e);
        }
        long wait = config.databaseBackoff().after(failuresInARow).toMillis();
        failuresInARow++;
        LOG.warn("Transient database error {} ({}); retrying the batch in {} ms (failing for {} s, giving up after {} s "
                + "and {} retries)", e.getSQLState(), e.getMessage(), wait, failingFor.toSeconds(), budget.toSeconds(),
                config.maxRetries());
        context.timeout(wait);
        throw new RetriableException("Transient database error " + e.getSQLState() + ": " + e.getMessage(), e);
    }

    private void report(SinkRecord record, Throwable error) {
        ErrantRecordReporter reporter = context.errantRecordReporter();
        if (reporter == null) {
            throw new ConnectException("Record " + RecordDecoder.coordinates(record)
                    + " can never be written and this worker has no errant-record reporter: " + error.getMessage(), error);
        }
        LOG.warn("Record {} sent to the dead-letter queue: {}", RecordDecoder.coordinates(record), error.getMessage());
        reporter.report(record, error);
    }

    @Override
    public void stop() {
        if (writer != null) {
            writer.close();
        }
        if (decoder != null) {
            decoder.close();
        }
    }

    private record Undecodable(SinkRecord record, DataException error) {
    }
}
