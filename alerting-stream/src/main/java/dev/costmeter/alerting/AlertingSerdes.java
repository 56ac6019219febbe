package dev.costmeter.alerting;

import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.BudgetPolicy;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.CostRollup;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.schemas.registry.SchemaRegistryClient;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.serde.SpecificAvroSerde;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;

/**
 * The registry-backed serdes of the alerting app's public topics, sharing one registry client so
 * each schema is fetched once per process.
 */
public final class AlertingSerdes {

    private final SchemaRegistryClient registry;
    private final Map<String, ?> serdeConfig;

    public AlertingSerdes(SchemaRegistryClient registry, Map<String, ?> serdeConfig) {
        this.registry = registry;
        this.serdeConfig = serdeConfig;
    }

    public Deserializer<UsageEvent> usageDeserializer() {
        return deserializer(UsageEvent.class);
    }

    public Deserializer<PricedUsage> ledgerDeserializer() {
        return deserializer(PricedUsage.class);
    }

    public Deserializer<CostRollup> rollupDeserializer() {
        return deserializer(CostRollup.class);
    }

    public Deserializer<BudgetPolicy> budgetDeserializer() {
        return deserializer(BudgetPolicy.class);
    }

    public Serde<Alert> alert() {
        return SpecificAvroSerde.configured(Alert.class, registry, serdeConfig, false);
    }

    public Serde<ControlCommand> controlCommand() {
        return SpecificAvroSerde.configured(ControlCommand.class, registry, serdeConfig, false);
    }

    private <T extends SpecificRecord> Deserializer<T> deserializer(Class<T> type) {
        AvroDeserializer<T> deserializer = new AvroDeserializer<>(type, registry);
        deserializer.configure(serdeConfig, false);
        return deserializer;
    }
}
