package dev.costmeter.metering;

import static dev.costmeter.metering.MeteringDriver.GPT_IN;
import static dev.costmeter.metering.MeteringDriver.GPT_OUT;
import static dev.costmeter.metering.MeteringDriver.T0;
import static dev.costmeter.metering.MeteringDriver.call;
import static dev.costmeter.metering.MeteringDriver.price;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.contracts.CostRollup;
import dev.costmeter.contracts.Granularity;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.RollupDimension;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.runtime.deadletter.DeadLetters;
import dev.costmeter.schemas.registry.RegisteredSchema;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.registry.RestSchemaRegistryClient;
import dev.costmeter.schemas.registry.SchemaRegistryClient;
import dev.costmeter.schemas.registry.SchemaRegistryUnavailableException;
import dev.costmeter.schemas.serde.AvroSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records that must neither stop a partition nor be charged, and valid records that must never be
 * dead-lettered: the edges a fault campaign found.
 */
class PoisonRecordsTest {

    @TempDir
    Path stateDir;

    private MeteringDriver metering;

    @AfterEach
    void stop() {
        if (metering != null) {
            metering.close();
        }
    }

    private MeteringDriver start() throws IOException {
        metering = new MeteringDriver(MeteringSettings.defaults(), stateDir);
        metering.send(price("gpt-4o", T0.minus(Duration.ofDays(30)), GPT_IN, GPT_OUT).build());
        return metering;
    }

    @Test
    void shouldDeadLetterAnEventDatedBefore1970AndKeepProcessingThePartition() throws IOException {
        start();
        UsageEvent ancient = call("ancient", "t1", Instant.parse("1969-12-31T23:59:59Z")).build();
        metering.usage.pipeInput(new TestRecord<>("t1", ancient, T0));
        metering.send(call("after", "t1", T0).build());

        var dead = metering.dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), DeadLetters.REASON)).isEqualTo("invalid-event-time");
        assertThat(header(dead.get(0), DeadLetters.DETAIL)).contains("before 1970");
        assertThat(metering.ledgerRows()).extracting(PricedUsage::getEventId).containsExactly("after");
        assertThat(metering.counter("costmeter.metering.rejected", "reason", "invalid-event-time")).isEqualTo(1.0);
    }

    @Test
    void shouldDeadLetterACallWhoseCostOverflowsALongWholeAndKeepProcessing() throws IOException {
        start();
        metering.send(price("absurd", T0.minus(Duration.ofDays(1)), 9_000_000_000_000_000_000L, 1L).build());
        UsageEvent overflowing = call("overflow", "t2", T0).setModel("absurd").setInputTokens(10_000_000L).build();
        byte[] raw = MeteringDriver.<UsageEvent>serializer().serialize(metering.settings.topics().usage(), overflowing);
        metering.rawUsage.pipeInput(new TestRecord<>("t2".getBytes(StandardCharsets.UTF_8), raw, T0));
        metering.send(call("fine", "t2", T0.plusSeconds(1)).build());
        metering.flushRollups();

        var dead = metering.dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).isEqualTo(raw);
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("t2");
        assertThat(header(dead.get(0), DeadLetters.REASON)).isEqualTo(DeadLetters.PROCESSING_ERROR);
        assertThat(header(dead.get(0), DeadLetters.DETAIL)).contains("ArithmeticException").contains("usage-price");
        assertThat(header(dead.get(0), DeadLetters.SOURCE_TOPIC)).isEqualTo("llm.usage.v1");
        assertThat(header(dead.get(0), DeadLetters.APP)).isEqualTo("metering-stream");
        assertThat(metering.ledgerRows()).extracting(PricedUsage::getEventId).containsExactly("fine");
        // Nothing of the dead-lettered call was counted anywhere.
        CostRollup tenantDay = lastRollup(RollupDimension.TENANT, "acme", Granularity.DAY);
        assertThat(tenantDay.getCalls()).isEqualTo(1);
        assertThat(metering.counter("costmeter.stream.processing.errors", "processor", "usage-price",
                "outcome", "dead-lettered")).isEqualTo(1.0);
    }

    @Test
    void shouldRefuseARecordOfAnotherTypeOnTheUsageTopicEvenWhenAvroCouldResolveIt() throws IOException {
        start();
        metering.send(call("real", "t3", T0).build());
        PricedUsage row = metering.ledgerRows().get(0);
        row.setEventId("not-a-call");
        // Bytes of the ledger topic (a PricedUsage, registered under the ledger's subject) land on the usage topic.
        byte[] raw = MeteringDriver.<PricedUsage>serializer().serialize(metering.settings.topics().ledger(), row);
        metering.rawUsage.pipeInput(new TestRecord<>("t3".getBytes(StandardCharsets.UTF_8), raw, T0));

        var dead = metering.dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), DeadLetters.REASON)).isEqualTo("wrong-record-type");
        assertThat(header(dead.get(0), DeadLetters.DETAIL)).contains("dev.costmeter.contracts.PricedUsage");
        assertThat(metering.ledgerRows()).isEmpty();
    }

    @Test
    void shouldRetryRatherThanDeadLetterAValidEventWhileTheRegistryCannotAnswer() throws IOException {
        // The app's own client: its cache is empty, as after a restart during a registry outage.
        OutageRegistry appRegistry = new OutageRegistry(new RestSchemaRegistryClient(
                RegistryClientConfig.forUrl(MeteringDriver.registryUrl())));
        metering = new MeteringDriver(MeteringSettings.defaults(), stateDir, appRegistry);
        metering.send(price("gpt-4o", T0.minus(Duration.ofDays(30)), GPT_IN, GPT_OUT).build());
        UsageEvent event = call("during-outage", "t4", T0).build();

        appRegistry.down = true;
        assertThatThrownBy(() -> metering.send(event)).isInstanceOf(StreamsException.class)
                .hasStackTraceContaining("schema registry");
        assertThat(metering.dlq.isEmpty()).isTrue();
        assertThat(metering.ledger.isEmpty()).isTrue();

        // The registry is back; the restarted thread meets the record again.
        appRegistry.down = false;
        metering.send(event);

        assertThat(metering.dlq.isEmpty()).isTrue();
        assertThat(metering.ledgerRows()).extracting(PricedUsage::getEventId).containsExactly("during-outage");
    }

    private CostRollup lastRollup(RollupDimension dimension, String scope, Granularity granularity) {
        List<CostRollup> matching = metering.emittedRollups().stream()
                .filter(r -> r.getDimension() == dimension && r.getScope().equals(scope) && r.getGranularity() == granularity)
                .toList();
        assertThat(matching).isNotEmpty();
        return matching.get(matching.size() - 1);
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return DeadLetters.value(record.headers(), name).orElse(null);
    }

    /** A registry client that can be taken down: every call then fails as an unreachable registry does. */
    static final class OutageRegistry implements SchemaRegistryClient {
        private final SchemaRegistryClient delegate;
        volatile boolean down;

        OutageRegistry(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        private void check() {
            if (down) {
                throw new SchemaRegistryUnavailableException("Schema registry http://test unreachable",
                        new java.net.ConnectException("Connection refused"));
            }
        }

        @Override
        public int register(String subject, Schema schema) {
            check();
            return delegate.register(subject, schema);
        }

        @Override
        public RegisteredSchema lookup(String subject, Schema schema) {
            check();
            return delegate.lookup(subject, schema);
        }

        @Override
        public Schema schemaById(int id) {
            check();
            return delegate.schemaById(id);
        }

        @Override
        public RegisteredSchema latest(String subject) {
            check();
            return delegate.latest(subject);
        }

        @Override
        public RegisteredSchema version(String subject, int version) {
            check();
            return delegate.version(subject, version);
        }

        @Override
        public List<String> subjects() {
            check();
            return delegate.subjects();
        }

        @Override
        public List<Integer> versions(String subject) {
            check();
            return delegate.versions(subject);
        }

        @Override
        public boolean isCompatible(String subject, Schema schema) {
            check();
            return delegate.isCompatible(subject, schema);
        }

        @Override
        public String compatibility(String subject) {
            check();
            return delegate.compatibility(subject);
        }

        @Override
        public void setCompatibility(String subject, String level) {
            check();
            delegate.setCompatibility(subject, level);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
