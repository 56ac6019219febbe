package dev.costmeter.bench;

import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.schemas.registry.SchemaRegistryClient;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.serde.AvroSerializer;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The ceiling: the least any metering that keeps a per-call ledger must do. Read each event, decode
 * it, re-encode it and write it once, under the same guarantee as metering.
 */
final class CopyTopology {

    private CopyTopology() {
    }

    static Topology build(String input, String output, SchemaRegistryClient registry, Map<String, ?> serdeConfig) {
        AvroDeserializer<UsageEvent> decode = new AvroDeserializer<>(UsageEvent.class, registry);
        decode.configure(serdeConfig, false);
        AvroSerializer<UsageEvent> encode = new AvroSerializer<>(registry);
        encode.configure(serdeConfig, false);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("copy-source"))
                .mapValues(bytes -> encode.serialize(output, decode.deserialize(input, bytes)), Named.as("copy-decode-encode"))
                .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("copy-sink"));
        return builder.build();
    }
}
