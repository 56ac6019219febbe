package dev.costmeter.local;

import dev.costmeter.schemas.Contracts;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.registry.RestSchemaRegistryClient;
import dev.costmeter.schemas.topics.TopicNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers every contract's value schema under its topic's subject ({@code <topic>-value}, the
 * TopicNameStrategy every Confluent-compatible client defaults to) as soon as the registry answers.
 * Without it a service in another language, whose client looks a schema up but never registers
 * one, fails with "Subject 'llm.usage.v1-value' not found" until some Java producer has run.
 * Registering a schema the subject already holds adds no version, so a restart changes nothing.
 */
final class ContractSchemas {

    private ContractSchemas() {
    }

    /**
     * Registers them all and returns the subject of each with its global id, in pipeline order.
     *
     * @param registrySettings {@code schema.registry.url} and any registry client settings (auth, TLS)
     */
    static Map<String, Integer> registerAll(Map<String, ?> registrySettings, TopicNames topics) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(RegistryClientConfig.from(registrySettings))) {
            for (Contracts.Contract contract : Contracts.ALL) {
                String subject = topics.name(contract.topic()) + "-value";
                ids.put(subject, registry.register(subject, contract.schema()));
            }
        }
        return ids;
    }
}
