package dev.costmeter.alerting;

import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.BudgetPolicy;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.CostRollup;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.schemas.registry.SchemaRegistryClient;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.serde.SpecificAvroSerde;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The registry-backed serdes of the alerting app's public topics, sharing one registry client so
 * each schema is fetched once per process.
 */
public final class AlertingSerdes {

    private final SchemaRegistryClient registry;
    private final Map<String, ?> serdeConfig;
    private SpecificAvroSerde<Alert> alert;
    private SpecificAvroSerde<ControlCommand> controlCommand;

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

    public Deserializer<PriceEntry> priceDeserializer() {
        return deserializer(PriceEntry.class);
    }

    public Deserializer<BudgetPolicy> budgetDeserializer() {
        return deserializer(BudgetPolicy.class);
    }

    /** The alerts' serde: one instance, so that the id resolved before start is the one it writes with. */
    public synchronized SpecificAvroSerde<Alert> alert() {
        if (alert == null) {
            alert = SpecificAvroSerde.configured(Alert.class, registry, serdeConfig, false);
        }
        return alert;
    }

    /** The commands' serde: one instance, as {@link #alert()}. */
    public synchronized SpecificAvroSerde<ControlCommand> controlCommand() {
        if (controlCommand == null) {
            controlCommand = SpecificAvroSerde.configured(ControlCommand.class, registry, serdeConfig, false);
        }
        return controlCommand;
    }

    /** The shared registry client. */
    public SchemaRegistryClient registry() {
        return registry;
    }

    private <T extends SpecificRecord> Deserializer<T> deserializer(Class<T> type) {
        AvroDeserializer<T> deserializer = new AvroDeserializer<>(type, registry);
        deserializer.configure(serdeConfig, false);
        return deserializer;
    }
}
