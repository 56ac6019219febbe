package dev.costmeter.alerting.budgets;

import dev.costmeter.alerting.AlertingMetrics;
import dev.costmeter.contracts.BudgetPolicy;
import dev.costmeter.contracts.TaskCeiling;
import dev.costmeter.runtime.deadletter.RetryLaterException;
import dev.costmeter.schemas.registry.SchemaRegistryUnavailableException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budget policies in force, read from the global store of llm.budgets.v1 on every lookup, so a
 * policy applied with {@code costctl budgets apply} takes effect on the next event, without a
 * restart. Raw bytes are kept in the store; a decoded policy is cached per scope and decoded again
 * only when the bytes change. A policy that does not decode is counted, logged once per change and
 * treated as absent (a global store has no dead-letter path). One that cannot be decoded because
 * the schema registry cannot answer is retried ({@link RetryLaterException}), never treated as absent.
 */
public final class Budgets {

    private static final Logger log = LoggerFactory.getLogger(Budgets.class);

    private final TimestampedKeyValueStore<String, byte[]> store;
    private final Deserializer<BudgetPolicy> deserializer;
    private final String topic;
    private final AlertingMetrics metrics;
    private final Map<String, Decoded> cache = new HashMap<>();

    private record Decoded(byte[] raw, BudgetPolicy policy) {
    }

    public Budgets(TimestampedKeyValueStore<String, byte[]> store, Deserializer<BudgetPolicy> deserializer, String topic,
            AlertingMetrics metrics) {
        this.store = store;
        this.deserializer = deserializer;
        this.topic = topic;
        this.metrics = metrics;
    }

    /** The enabled policy of {@code scope}, if any. */
    public Optional<BudgetPolicy> policy(String scope) {
        ValueAndTimestamp<byte[]> stored = store.get(scope);
        if (stored == null || stored.value() == null) {
            cache.remove(scope);
            return Optional.empty();
        }
        Decoded decoded = cache.get(scope);
        if (decoded == null || !Arrays.equals(decoded.raw(), stored.value())) {
            decoded = new Decoded(stored.value(), decode(scope, stored.value()));
            cache.put(scope, decoded);
        }
        BudgetPolicy policy = decoded.policy();
        return policy != null && policy.getEnabled() ? Optional.of(policy) : Optional.empty();
    }

    /**
     * The per-task ceiling for a task: {@code task_default:<class>}, else the ceiling of the
     * {@code task_class:<class>} policy, else of the tenant's.
     */
    public Optional<TaskCeiling> taskCeiling(String taskClass, String tenantId) {
        for (String scope : new String[] {Scopes.taskDefault(taskClass), Scopes.taskClass(taskClass),
                Scopes.tenant(tenantId)}) {
            Optional<TaskCeiling> ceiling = policy(scope).map(BudgetPolicy::getTaskCeiling);
            if (ceiling.isPresent()) {
                return ceiling;
            }
        }
        return Optional.empty();
    }

    private BudgetPolicy decode(String scope, byte[] raw) {
        try {
            return deserializer.deserialize(topic, raw);
        } catch (RuntimeException e) {
            if (SchemaRegistryUnavailableException.isCause(e)) {
                // Not the policy's fault: acting as if it were absent would lift its caps, so retry later.
                throw new RetryLaterException("The budget policy of " + scope + " cannot be decoded while the schema"
                        + " registry cannot answer", e);
            }
            metrics.invalidPolicy();
            log.warn("Budget policy for scope {} does not decode and is ignored: {}", scope, e.getMessage());
            return null;
        }
    }
}
