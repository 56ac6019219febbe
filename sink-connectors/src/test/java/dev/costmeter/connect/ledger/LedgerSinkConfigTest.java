package dev.costmeter.connect.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class LedgerSinkConfigTest {

    private static Map<String, String> valid() {
        Map<String, String> props = new HashMap<>();
        props.put("topics", "llm.ledger.v1,llm.rollups.v1");
        props.put("connection.url", "jdbc:postgresql://db:5432/costmeter");
        props.put("connection.user", "ledger");
        props.put("connection.password", "hunter2");
        props.put("schema.registry.url", "http://registry:8081");
        return props;
    }

    private static List<String> errorsOf(Map<String, String> props, String key) {
        Config config = new LedgerSinkConnector().validate(props);
        return config.configValues().stream().filter(v -> v.name().equals(key)).findFirst()
                .map(ConfigValue::errorMessages).orElseThrow(() -> new AssertionError("no value for " + key));
    }

    private static long errorCount(Map<String, String> props) {
        return new LedgerSinkConnector().validate(props).configValues().stream()
                .mapToLong(v -> v.errorMessages().size()).sum();
    }

    @Test
    void shouldAcceptAValidConfigurationWithoutErrors() {
        assertThat(errorCount(valid())).isZero();
        LedgerSinkConfig config = new LedgerSinkConfig(valid());
        assertThat(config.dbSchema()).isEqualTo("costmeter");
        assertThat(config.batchMaxRows()).isEqualTo(500);
        assertThat(config.kindOf("llm.rollups.v1")).contains(RecordKind.COST_ROLLUP);
    }

    @Test
    void shouldReportAMissingConnectionUrlOnItsField() {
        Map<String, String> props = valid();
        props.remove("connection.url");
        assertThat(errorsOf(props, "connection.url"))
                .containsExactly("Missing required configuration \"connection.url\" which has no default value.");
    }

    @Test
    void shouldRejectAUrlThatIsNotPostgres() {
        Map<String, String> props = valid();
        props.put("connection.url", "jdbc:mysql://db/costmeter");
        assertThat(errorsOf(props, "connection.url")).containsExactly(
                "Invalid value jdbc:mysql://db/costmeter for configuration connection.url: Must start with jdbc:postgresql://");
    }

    @Test
    void shouldRefuseAPasswordInTheUrlWithoutEchoingIt() {
        Map<String, String> props = valid();
        props.put("connection.url", "jdbc:postgresql://db/costmeter?user=x&password=hunter2");
        assertThat(errorsOf(props, "connection.url")).containsExactly(
                "Invalid value jdbc:postgresql://db/costmeter?[redacted] for configuration connection.url: "
                        + "Put the password in connection.password, not in the URL");
    }

    @Test
    void shouldAttachATopicOfNoKnownKindToTopics() {
        Map<String, String> props = valid();
        props.put("topics", "llm.ledger.v1,llm.usage.v1");
        assertThat(errorsOf(props, "topics")).containsExactly("Topic llm.usage.v1 is none of "
                + "topic.ledger=llm.ledger.v1, topic.rollups=llm.rollups.v1, topic.task-outcomes=llm.task-outcomes.v1"
                + " and topic.ledger-corrections=llm.ledger-corrections.v1");
    }

    @Test
    void shouldAcceptTheCorrectionsTopicBesideTheOthers() {
        Map<String, String> props = valid();
        props.put("topics", "llm.ledger.v1,prod.corrections");
        props.put("topic.ledger-corrections", "prod.corrections");
        assertThat(errorCount(props)).isZero();
        LedgerSinkConfig config = new LedgerSinkConfig(props);
        assertThat(config.isCorrections("prod.corrections")).isTrue();
        assertThat(config.isCorrections("llm.ledger.v1")).isFalse();
    }

    @Test
    void shouldAcceptTopicsRenamedThroughTheTopicKeys() {
        Map<String, String> props = valid();
        props.put("topics", "prod.ledger");
        props.put("topic.ledger", "prod.ledger");
        assertThat(errorCount(props)).isZero();
        assertThat(new LedgerSinkConfig(props).kindOf("prod.ledger")).contains(RecordKind.PRICED_USAGE);
    }

    @Test
    void shouldRefuseTopicsRegexBecauseEachTopicMustHaveAKind() {
        Map<String, String> props = valid();
        props.remove("topics");
        props.put("topics.regex", "llm\\..*");
        assertThat(errorsOf(props, "topics")).containsExactly("Name at least one of topic.ledger=llm.ledger.v1, "
                + "topic.rollups=llm.rollups.v1, topic.task-outcomes=llm.task-outcomes.v1 and "
                + "topic.ledger-corrections=llm.ledger-corrections.v1; topics.regex is not supported");
        assertThatThrownBy(() -> new LedgerSinkConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value null for configuration topics: Name at least one of topic.ledger=llm.ledger.v1, "
                        + "topic.rollups=llm.rollups.v1, topic.task-outcomes=llm.task-outcomes.v1 and "
                + "topic.ledger-corrections=llm.ledger-corrections.v1; topics.regex is not supported");
    }

    @Test
    void shouldRefuseAConsumerOverrideThatReadsUncommittedRecords() {
        Map<String, String> props = valid();
        props.put("consumer.override.isolation.level", "read_uncommitted");
        assertThat(errorsOf(props, "consumer.override.isolation.level")).containsExactly("Must be read_committed: "
                + "costmeter's topics are written in transactions, and a sink reading with isolation level "
                + "read_uncommitted would also write the records of aborted transactions");
        assertThat(errorCount(props)).isEqualTo(1);
        // A configuration stored before the rule existed fails when the connector or a task starts.
        assertThatThrownBy(() -> new LedgerSinkConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid value read_uncommitted for configuration consumer.override.isolation.level: "
                        + "Must be read_committed");
    }

    @Test
    void shouldAcceptReadCommittedSpelledInAnyCase() {
        Map<String, String> props = valid();
        props.put("consumer.override.isolation.level", "READ_COMMITTED");
        assertThat(errorCount(props)).isZero();
        assertThat(new LedgerSinkConfig(props).dbSchema()).isEqualTo("costmeter");
    }

    @Test
    void shouldBoundRowsPerStatementByPostgresParameterLimit() {
        Map<String, String> props = valid();
        props.put("batch.max.rows", "5000");
        assertThat(errorsOf(props, "batch.max.rows")).containsExactly(
                "Invalid value 5000 for configuration batch.max.rows: Value must be no more than 1500");
    }

    @Test
    void shouldRejectASchemaThatIsNotAPlainIdentifier() {
        Map<String, String> props = valid();
        props.put("db.schema", "Cost-Meter");
        assertThat(errorsOf(props, "db.schema")).containsExactly(
                "Invalid value Cost-Meter for configuration db.schema: Must be a lower-case SQL identifier of at most 63 characters");
    }

    @Test
    void shouldHideTheDatabasePasswordInValuesAndValidation() {
        LedgerSinkConfig config = new LedgerSinkConfig(valid());
        assertThat(config.values().get("connection.password")).hasToString("[hidden]");
        assertThat(config.password().orElseThrow().value()).isEqualTo("hunter2");
        ConfigValue validated = new LedgerSinkConnector().validate(valid()).configValues().stream()
                .filter(v -> v.name().equals("connection.password")).findFirst().orElseThrow();
        assertThat(String.valueOf(validated.value())).doesNotContain("hunter2");
    }

    @Test
    void shouldDocumentValidValuesInTheValidators() {
        assertThat(LedgerSinkConfig.CONFIG_DEF.configKeys().get("connection.url").validator).hasToString(
                "a PostgreSQL JDBC URL without credentials: jdbc:postgresql://host[:port]/database[?options]");
        assertThat(LedgerSinkConfig.CONFIG_DEF.configKeys().get("db.schema").validator)
                .hasToString("a lower-case SQL identifier matching [a-z_][a-z0-9_]{0,62}");
        assertThat(LedgerSinkConfig.CONFIG_DEF.groups())
                .containsExactly("Connection", "Writes", "Retries", "Topics", "Schema registry");
    }
}
