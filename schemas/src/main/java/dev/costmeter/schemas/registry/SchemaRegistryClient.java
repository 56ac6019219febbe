package dev.costmeter.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API that costmeter's serdes and tools use.
 * Implementations cache what does not change (ids and the schemas behind them) so a serde asks the
 * registry once per schema, not once per record.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers {@code schema} under {@code subject} (or finds it there) and returns its global id. */
    int register(String subject, Schema schema);

    /** Returns the id of {@code schema} under {@code subject} without registering it. */
    RegisteredSchema lookup(String subject, Schema schema);

    /** Returns the schema with global id {@code id}. */
    Schema schemaById(int id);

    /** Returns the latest version of {@code subject}. */
    RegisteredSchema latest(String subject);

    /** Returns version {@code version} of {@code subject}. */
    RegisteredSchema version(String subject, int version);

    /** Lists the subjects. */
    List<String> subjects();

    /** Lists the versions of {@code subject}. */
    List<Integer> versions(String subject);

    /** Whether {@code schema} may be registered under {@code subject} at its compatibility level. */
    boolean isCompatible(String subject, Schema schema);

    /** The compatibility level of {@code subject}, falling back to the global level. */
    String compatibility(String subject);

    /** Sets the compatibility level of {@code subject}, or the global one when {@code subject} is null. */
    void setCompatibility(String subject, String level);

    @Override
    void close();
}
