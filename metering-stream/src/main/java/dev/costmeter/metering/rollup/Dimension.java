package dev.costmeter.metering.rollup;

import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.RollupDimension;
import dev.costmeter.pricing.ModelKeys;
import java.util.Locale;

/** How a call's scope is read for each rollup dimension. */
public final class Dimension {

    private Dimension() {
    }

    /** The call's value for {@code dimension}, or null when it has none (a call without prompt version). */
    public static String scopeOf(RollupDimension dimension, PricedUsage call) {
        return switch (dimension) {
            case TENANT -> call.getTenantId();
            case ROUTE -> call.getRoute();
            case MODEL -> call.getProvider() + "/" + call.getModel();
            case TASK_CLASS -> call.getTaskClass();
            case PROMPT_VERSION -> call.getPromptVersion();
        };
    }

    /** As {@link #scopeOf(RollupDimension, PricedUsage)}, with the model's scope from {@code modelKeys} (one string per model). */
    public static String scopeOf(RollupDimension dimension, PricedUsage call, ModelKeys modelKeys) {
        return dimension == RollupDimension.MODEL ? modelKeys.of(call.getProvider(), call.getModel()) : scopeOf(dimension, call);
    }

    /** The rollup key of a scope: {@code DIMENSION|scope}. */
    public static String key(RollupDimension dimension, String scope) {
        return dimension.name() + "|" + scope;
    }

    /** Parses a query parameter such as {@code task_class} or {@code TENANT}. */
    public static RollupDimension parse(String value) {
        try {
            return RollupDimension.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown dimension '" + value
                    + "'; use tenant, route, model, task_class or prompt_version");
        }
    }
}
