package dev.costmeter.client.killswitch;

/**
 * What a service does with its next model call, answered by {@link KillSwitchClient#check}:
 * {@link Allow go ahead}, {@link Degrade use a cheaper model} or {@link Block refuse}. Decisions are
 * immutable and shared, so checking allocates nothing.
 */
public sealed interface Decision permits Decision.Allow, Decision.Degrade, Decision.Block {

    /** The one ALLOW answer. */
    Allow ALLOW = new Allow();

    /** True unless the call must be refused. */
    default boolean allowed() {
        return !(this instanceof Block);
    }

    /** Go ahead as planned. */
    record Allow() implements Decision {
        @Override
        public String toString() {
            return "ALLOW";
        }
    }

    /**
     * Make the call with {@code model} instead.
     *
     * @param model the fallback model
     * @param reason why, in words for the engineer reading logs
     * @param scope the scope whose switch applies, e.g. {@code route:chat}
     */
    record Degrade(String model, String reason, String scope) implements Decision {
        @Override
        public String toString() {
            return "DEGRADE(" + model + ", " + scope + ": " + reason + ")";
        }
    }

    /**
     * Refuse the call.
     *
     * @param reason why, in words for the engineer reading a refused call
     * @param scope the scope whose switch applies, e.g. {@code task:run-7}; {@code *} before the
     *     client has read the switches under {@link StartupPolicy#FAIL_CLOSED}
     */
    record Block(String reason, String scope) implements Decision {
        @Override
        public String toString() {
            return "BLOCK(" + scope + ": " + reason + ")";
        }
    }
}
