package dev.costmeter.runtime.lifecycle;

import dev.costmeter.schemas.registry.SchemaRegistryClient;
import dev.costmeter.schemas.registry.SchemaRegistryException;
import dev.costmeter.schemas.registry.SchemaRegistryUnavailableException;
import dev.costmeter.schemas.serde.SpecificAvroSerde;
import java.util.List;

/**
 * Start preconditions on the schema registry, so that an app never needs the registry in the
 * middle of a transaction for what it can learn up front: the ids of the schemas it writes, and the
 * schemas already registered for what it reads. While the registry cannot answer, the app waits
 * and reports not ready; once these are cached, a registry outage does not stop it (only a record
 * written with a schema registered after the app started still needs the registry, and is retried).
 */
public final class RegistryPreconditions {

    private RegistryPreconditions() {
    }

    /** The id {@code serde} writes its type with on {@code topic} is resolved and cached. */
    public static StartPrecondition writes(SpecificAvroSerde<?> serde, String topic) {
        return () -> serde.prepare(topic);
    }

    /**
     * Every registered version of each topic's value subject ({@code <topic>-value}) is fetched into
     * {@code registry}'s cache; a subject the registry does not know yet is fine (nothing written yet).
     */
    public static StartPrecondition reads(SchemaRegistryClient registry, List<String> topics) {
        return () -> {
            for (String topic : topics) {
                String subject = topic + "-value";
                List<Integer> versions;
                try {
                    versions = registry.versions(subject);
                } catch (SchemaRegistryUnavailableException e) {
                    throw e;
                } catch (SchemaRegistryException e) {
                    if (e.isNotFound()) {
                        continue;
                    }
                    throw e;
                }
                for (int version : versions) {
                    registry.version(subject, version);
                }
            }
        };
    }
}
