package dev.costmeter.metering;

import dev.costmeter.contracts.CostRollup;
import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.TaskOutcome;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.schemas.registry.SchemaRegistryClient;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.serde.SpecificAvroSerde;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The registry-backed serdes of the metering app's public topics, sharing one registry client so
 * each schema is fetched once per process.
 */
public final class MeteringSerdes {

    private final SchemaRegistryClient registry;
    private final Map<String, ?> serdeConfig;
    private SpecificAvroSerde<PricedUsage> pricedUsage;
    private SpecificAvroSerde<CostRollup> costRollup;
    private SpecificAvroSerde<LedgerCorrection> ledgerCorrection;

    /**
     * @param registry    the shared client
     * @param serdeConfig serde settings ({@code auto.register.schemas} etc.)
     */
    public MeteringSerdes(SchemaRegistryClient registry, Map<String, ?> serdeConfig) {
        this.registry = registry;
        this.serdeConfig = serdeConfig;
    }

    public Deserializer<UsageEvent> usageDeserializer() {
        return deserializer(UsageEvent.class);
    }

    public Deserializer<TaskOutcome> outcomeDeserializer() {
        return deserializer(TaskOutcome.class);
    }

    public Deserializer<PriceEntry> priceDeserializer() {
        return deserializer(PriceEntry.class);
    }

    /** The ledger's serde: one instance, so that the id resolved before start is the one it writes with. */
    public synchronized SpecificAvroSerde<PricedUsage> pricedUsage() {
        if (pricedUsage == null) {
            pricedUsage = SpecificAvroSerde.configured(PricedUsage.class, registry, serdeConfig, false);
        }
        return pricedUsage;
    }

    /** The rollups' serde: one instance, as {@link #pricedUsage()}. */
    public synchronized SpecificAvroSerde<CostRollup> costRollup() {
        if (costRollup == null) {
            costRollup = SpecificAvroSerde.configured(CostRollup.class, registry, serdeConfig, false);
        }
        return costRollup;
    }

    public Deserializer<LedgerCorrection> correctionDeserializer() {
        return deserializer(LedgerCorrection.class);
    }

    /** The applied corrections' serde: one instance, as {@link #pricedUsage()}. */
    public synchronized SpecificAvroSerde<LedgerCorrection> ledgerCorrection() {
        if (ledgerCorrection == null) {
            ledgerCorrection = SpecificAvroSerde.configured(LedgerCorrection.class, registry, serdeConfig, false);
        }
        return ledgerCorrection;
    }

    /** The shared registry client. */
    public SchemaRegistryClient registry() {
        return registry;
    }

    private <T extends org.apache.avro.specific.SpecificRecord> Deserializer<T> deserializer(Class<T> type) {
        AvroDeserializer<T> deserializer = new AvroDeserializer<>(type, registry);
        deserializer.configure(serdeConfig, false);
        return deserializer;
    }
}
