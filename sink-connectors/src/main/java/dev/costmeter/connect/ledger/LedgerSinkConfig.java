package dev.costmeter.connect.ledger;

import dev.costmeter.connect.decode.RegistrySettings;
import dev.costmeter.connect.isolation.ReadCommittedOnly;
import dev.costmeter.connect.retry.ExponentialBackoff;
import dev.costmeter.schemas.topics.TopicNames;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration of the ledger sink: where PostgreSQL is, how rows are batched and retried, which
 * topic holds which record type, and the schema registry ({@link RegistrySettings}).
 *
 * <p>The connector's {@code topics} must each be one of the three configured topic names; the
 * constructor checks that and throws a {@link ConfigException} naming {@code topics} otherwise. It
 * also refuses a consumer override that would read uncommitted records ({@link ReadCommittedOnly}).
 */
public final class LedgerSinkConfig extends AbstractConfig {

    public static final String CONNECTION_GROUP = "Connection";
    public static final String WRITES_GROUP = "Writes";
    public static final String RETRIES_GROUP = "Retries";
    public static final String TOPICS_GROUP = "Topics";

    /** The framework's key listing the topics a sink consumes. */
    public static final String TOPICS_CONFIG = "topics";

    public static final String CONNECTION_URL_CONFIG = "connection.url";
    private static final String CONNECTION_URL_DOC = "JDBC URL of the PostgreSQL database, e.g. "
            + "jdbc:postgresql://db:5432/costmeter. Credentials go in connection.user and connection.password.";
    private static final String CONNECTION_URL_DISPLAY = "PostgreSQL JDBC URL";

    public static final String CONNECTION_USER_CONFIG = "connection.user";
    private static final String CONNECTION_USER_DOC = "Database user.";
    private static final String CONNECTION_USER_DISPLAY = "Database user";

    public static final String CONNECTION_PASSWORD_CONFIG = "connection.password";
    private static final String CONNECTION_PASSWORD_DOC = "Password of connection.user; never logged.";
    private static final String CONNECTION_PASSWORD_DISPLAY = "Database password";

    public static final String DB_SCHEMA_CONFIG = "db.schema";
    private static final String DB_SCHEMA_DOC = "PostgreSQL schema holding the ledger tables and views; created if missing.";
    private static final String DB_SCHEMA_DISPLAY = "Database schema";

    public static final String MIGRATE_CONFIG = "db.migrate";
    private static final String MIGRATE_DOC = "Apply the ledger's versioned SQL migrations when the connector starts. "
            + "Turn off when a DBA applies them; the tasks then only check that the schema is current.";
    private static final String MIGRATE_DISPLAY = "Apply migrations on start";

    public static final String WRITE_METHOD_CONFIG = "write.method";
    private static final String WRITE_METHOD_DOC = "How a put()'s rows reach PostgreSQL, in one transaction either way: "
            + "copy (new ledger rows COPYed straight into the ledger; rollups, outcomes and corrections COPYed into "
            + "session-local staging tables and merged with one INSERT ... SELECT ... ON CONFLICT per table) "
            + "or insert (multi-row INSERT ... ON CONFLICT statements of batch.max.rows rows). Both write the same rows.";
    private static final String WRITE_METHOD_DISPLAY = "Write method";

    public static final String BATCH_MAX_ROWS_CONFIG = "batch.max.rows";
    private static final String BATCH_MAX_ROWS_DOC = "With write.method=insert, most rows in one multi-row INSERT statement. "
            + "A put() writes all its records in one transaction, in statements of at most this many rows.";
    private static final String BATCH_MAX_ROWS_DISPLAY = "Rows per statement";

    public static final String MAX_RETRIES_CONFIG = "max.retries";
    private static final String MAX_RETRIES_DOC = "How many times in a row a batch is retried after a transient database error "
            + "(connection lost, serialization failure, deadlock, server starting up, shutting down or out of resources) "
            + "before the task fails and waits for an operator's restart; it fails only once the errors have also lasted as "
            + "long as those retries' backoffs add up to (Connect may redeliver sooner, at its next offset commit). With the "
            + "default backoff, 10 retries ride out about 6.5 minutes of outage: a PostgreSQL restarted after a crash replays "
            + "its WAL first, which took 24 s under load in the fault campaign.";
    private static final String MAX_RETRIES_DISPLAY = "Maximum retries";

    public static final String RETRY_BACKOFF_MS_CONFIG = "retry.backoff.ms";
    private static final String RETRY_BACKOFF_MS_DOC = "Wait before the first retry after a transient database error, in "
            + "milliseconds; it doubles with each further retry in a row, up to retry.backoff.max.ms. Also the wait before "
            + "a batch is redelivered while the schema registry cannot answer.";
    private static final String RETRY_BACKOFF_MS_DISPLAY = "Retry backoff (ms)";

    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "retry.backoff.max.ms";
    private static final String RETRY_BACKOFF_MAX_MS_DOC = "Longest wait between two retries after transient database "
            + "errors, in milliseconds.";
    private static final String RETRY_BACKOFF_MAX_MS_DISPLAY = "Maximum retry backoff (ms)";

    public static final String LEDGER_TOPIC_CONFIG = TopicNames.Logical.LEDGER.configKey();
    public static final String ROLLUPS_TOPIC_CONFIG = TopicNames.Logical.ROLLUPS.configKey();
    public static final String OUTCOMES_TOPIC_CONFIG = TopicNames.Logical.TASK_OUTCOMES.configKey();
    public static final String CORRECTIONS_TOPIC_CONFIG = TopicNames.Logical.LEDGER_CORRECTIONS.configKey();

    public static final ConfigDef CONFIG_DEF = configDef();

    private final TopicNames topicNames;

    public LedgerSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        ReadCommittedOnly.require(props);
        this.topicNames = TopicNames.from(originals());
        topicsError(topicNames, props.get(TOPICS_CONFIG)).ifPresent(message -> {
            throw new ConfigException(TOPICS_CONFIG, props.get(TOPICS_CONFIG), message);
        });
    }

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(CONNECTION_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new PostgresUrlValidator(),
                        Importance.HIGH, CONNECTION_URL_DOC, CONNECTION_GROUP, ++order, Width.LONG, CONNECTION_URL_DISPLAY)
                .define(CONNECTION_USER_CONFIG, Type.STRING, null, Importance.HIGH, CONNECTION_USER_DOC,
                        CONNECTION_GROUP, ++order, Width.MEDIUM, CONNECTION_USER_DISPLAY)
                .define(CONNECTION_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.HIGH, CONNECTION_PASSWORD_DOC,
                        CONNECTION_GROUP, ++order, Width.MEDIUM, CONNECTION_PASSWORD_DISPLAY)
                .define(DB_SCHEMA_CONFIG, Type.STRING, "costmeter", new SqlIdentifierValidator(), Importance.MEDIUM,
                        DB_SCHEMA_DOC, CONNECTION_GROUP, ++order, Width.MEDIUM, DB_SCHEMA_DISPLAY)
                .define(MIGRATE_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, MIGRATE_DOC,
                        CONNECTION_GROUP, ++order, Width.SHORT, MIGRATE_DISPLAY);
        order = 0;
        def.define(WRITE_METHOD_CONFIG, Type.STRING, WriteMethod.COPY.configValue(),
                ConfigDef.CaseInsensitiveValidString.in(WriteMethod.COPY.configValue(), WriteMethod.INSERT.configValue()),
                Importance.LOW, WRITE_METHOD_DOC, WRITES_GROUP, ++order, Width.SHORT, WRITE_METHOD_DISPLAY);
        def.define(BATCH_MAX_ROWS_CONFIG, Type.INT, 500, ConfigDef.Range.between(1, 1500), Importance.MEDIUM,
                BATCH_MAX_ROWS_DOC, WRITES_GROUP, ++order, Width.SHORT, BATCH_MAX_ROWS_DISPLAY);
        order = 0;
        def.define(MAX_RETRIES_CONFIG, Type.INT, 10, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                        MAX_RETRIES_DOC, RETRIES_GROUP, ++order, Width.SHORT, MAX_RETRIES_DISPLAY)
                .define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, 3_000L, ConfigDef.Range.between(0, 600_000), Importance.MEDIUM,
                        RETRY_BACKOFF_MS_DOC, RETRIES_GROUP, ++order, Width.SHORT, RETRY_BACKOFF_MS_DISPLAY)
                .define(RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, 60_000L, ConfigDef.Range.between(0, 3_600_000),
                        Importance.MEDIUM, RETRY_BACKOFF_MAX_MS_DOC, RETRIES_GROUP, ++order, Width.SHORT,
                        RETRY_BACKOFF_MAX_MS_DISPLAY);
        order = 0;
        for (TopicNames.Logical topic : new TopicNames.Logical[] {
                TopicNames.Logical.LEDGER, TopicNames.Logical.ROLLUPS, TopicNames.Logical.TASK_OUTCOMES,
                TopicNames.Logical.LEDGER_CORRECTIONS}) {
            def.define(topic.configKey(), Type.STRING, topic.defaultName(), new ConfigDef.NonEmptyString(),
                    Importance.LOW, "Name of the topic holding " + recordOf(topic) + " records, if it is among topics.",
                    TOPICS_GROUP, ++order, Width.MEDIUM, recordOf(topic) + " topic");
        }
        return RegistrySettings.addTo(def);
    }

    private static String recordOf(TopicNames.Logical topic) {
        return switch (topic) {
            case LEDGER -> "PricedUsage";
            case ROLLUPS -> "CostRollup";
            case TASK_OUTCOMES -> "TaskOutcome";
            case LEDGER_CORRECTIONS -> "LedgerCorrection";
            default -> throw new IllegalArgumentException(topic.name());
        };
    }

    /**
     * Why the connector's {@code topics} value cannot be served, if it cannot: every topic must
     * be one of the configured ledger, rollups or task-outcomes topics.
     */
    static Optional<String> topicsError(TopicNames topicNames, String topics) {
        if (topics == null || topics.isBlank()) {
            return Optional.of("Name at least one of " + knownTopics(topicNames) + "; topics.regex is not supported");
        }
        return Arrays.stream(topics.split(","))
                .map(String::trim)
                .filter(topic -> !topic.isEmpty() && kindOf(topicNames, topic).isEmpty()
                        && !topic.equals(topicNames.ledgerCorrections()))
                .findFirst()
                .map(topic -> "Topic " + topic + " is none of " + knownTopics(topicNames));
    }

    private static String knownTopics(TopicNames topicNames) {
        return LEDGER_TOPIC_CONFIG + "=" + topicNames.ledger() + ", "
                + ROLLUPS_TOPIC_CONFIG + "=" + topicNames.rollups() + ", "
                + OUTCOMES_TOPIC_CONFIG + "=" + topicNames.taskOutcomes() + " and "
                + CORRECTIONS_TOPIC_CONFIG + "=" + topicNames.ledgerCorrections();
    }

    /** Whether {@code topic} is the configured topic of applied corrections ({@code LedgerCorrection}). */
    public boolean isCorrections(String topic) {
        return topic.equals(topicNames.ledgerCorrections());
    }

    /** What a topic holds, by its configured name. */
    public Optional<RecordKind> kindOf(String topic) {
        return kindOf(topicNames, topic);
    }

    private static Optional<RecordKind> kindOf(TopicNames topicNames, String topic) {
        if (topic.equals(topicNames.ledger())) {
            return Optional.of(RecordKind.PRICED_USAGE);
        }
        if (topic.equals(topicNames.rollups())) {
            return Optional.of(RecordKind.COST_ROLLUP);
        }
        if (topic.equals(topicNames.taskOutcomes())) {
            return Optional.of(RecordKind.TASK_OUTCOME);
        }
        return Optional.empty();
    }

    public String connectionUrl() {
        return getString(CONNECTION_URL_CONFIG).trim();
    }

    public Optional<String> user() {
        return Optional.ofNullable(getString(CONNECTION_USER_CONFIG)).filter(s -> !s.isBlank());
    }

    /** The password, revealed only to open connections. */
    public Optional<Password> password() {
        return Optional.ofNullable(getPassword(CONNECTION_PASSWORD_CONFIG));
    }

    public String dbSchema() {
        return getString(DB_SCHEMA_CONFIG);
    }

    public boolean migrate() {
        return getBoolean(MIGRATE_CONFIG);
    }

    public WriteMethod writeMethod() {
        return WriteMethod.valueOf(getString(WRITE_METHOD_CONFIG).toUpperCase(java.util.Locale.ROOT));
    }

    public int batchMaxRows() {
        return getInt(BATCH_MAX_ROWS_CONFIG);
    }

    public int maxRetries() {
        return getInt(MAX_RETRIES_CONFIG);
    }

    public Duration retryBackoff() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MS_CONFIG));
    }

    /** The waits between retries after transient database errors. */
    public ExponentialBackoff databaseBackoff() {
        return new ExponentialBackoff(retryBackoff(), Duration.ofMillis(Math.max(getLong(RETRY_BACKOFF_MAX_MS_CONFIG),
                getLong(RETRY_BACKOFF_MS_CONFIG))));
    }

    /** Registry client settings, secrets revealed: never log the result. */
    public Map<String, Object> registryConfigs() {
        return RegistrySettings.clientConfigs(this);
    }
}
