package dev.costmeter.pricing.scenario;

import java.math.BigDecimal;
import java.util.Map;

/**
 * How past calls would have been made under a what-if: another model, the batch lane, a prompt-cache
 * hit rate, a cap on output tokens. Each knob is optional (null or false leaves the calls as they
 * were); they combine. What each does to a call is {@link ScenarioCall}'s rule.
 *
 * @param provider        the model's provider every call moves to, or null to keep each call's own
 * @param model           that provider's model id, or null (set with {@code provider})
 * @param batch           send the calls through the batch lane (batch rates)
 * @param onlyLabel       with {@code batch}: only calls whose labels hold this key and value are non-interactive
 *                        and moved; null moves every call (the caller selected non-interactive work)
 * @param cacheHitRate    the share of each call's prompt read from the prompt cache, in [0, 1], or null
 * @param maxOutputTokens the cap on each call's output tokens, at least 1, or null
 */
public record Scenario(String provider, String model, boolean batch, Label onlyLabel, BigDecimal cacheHitRate,
        Long maxOutputTokens) {

    /** A label a call carries: {@code key=value}. */
    public record Label(String key, String value) {
        public Label {
            if (key == null || key.isBlank() || value == null) {
                throw new IllegalArgumentException("a label is key=value with a non-blank key, not " + key + "=" + value);
            }
        }

        /** Reads {@code key=value}. */
        public static Label parse(String text) {
            int eq = text == null ? -1 : text.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("\"" + text + "\" is not a label such as interactive=false");
            }
            return new Label(text.substring(0, eq).strip(), text.substring(eq + 1).strip());
        }

        boolean on(Map<String, String> labels) {
            return labels != null && value.equals(labels.get(key));
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    public Scenario {
        if ((provider == null) != (model == null)) {
            throw new IllegalArgumentException("a scenario model needs both its provider and its model id");
        }
        if (provider != null && (provider.isBlank() || model.isBlank() || provider.contains("/"))) {
            throw new IllegalArgumentException("a scenario model is PROVIDER/MODEL with neither part blank, not "
                    + provider + "/" + model);
        }
        if (onlyLabel != null && !batch) {
            throw new IllegalArgumentException("a label for non-interactive calls only applies to the batch lane");
        }
        if (cacheHitRate != null && (cacheHitRate.signum() < 0 || cacheHitRate.compareTo(BigDecimal.ONE) > 0)) {
            throw new IllegalArgumentException("a cache hit rate is a share from 0 to 1, not " + cacheHitRate.toPlainString());
        }
        if (maxOutputTokens != null && maxOutputTokens < 1) {
            throw new IllegalArgumentException("a cap on output tokens is at least 1 token, not " + maxOutputTokens);
        }
    }

    /** No knob set: every call as it was. */
    public static Scenario none() {
        return new Scenario(null, null, false, null, null, null);
    }

    public Scenario withModel(String provider, String model) {
        return new Scenario(provider, model, batch, onlyLabel, cacheHitRate, maxOutputTokens);
    }

    public Scenario withBatch(Label onlyLabel) {
        return new Scenario(provider, model, true, onlyLabel, cacheHitRate, maxOutputTokens);
    }

    public Scenario withCacheHitRate(BigDecimal rate) {
        return new Scenario(provider, model, batch, onlyLabel, rate, maxOutputTokens);
    }

    public Scenario withMaxOutputTokens(Long cap) {
        return new Scenario(provider, model, batch, onlyLabel, cacheHitRate, cap);
    }

    /** Whether the calls move to another model. */
    public boolean changesModel() {
        return provider != null;
    }

    /** {@code provider/model}, the price key of the scenario model; null when calls keep their own. */
    public String modelKey() {
        return provider == null ? null : provider + "/" + model;
    }

    /** Whether any knob is set. */
    public boolean isEmpty() {
        return provider == null && !batch && cacheHitRate == null && maxOutputTokens == null;
    }

    @Override
    public String toString() {
        return "Scenario[model=" + modelKey() + ", batch=" + batch + (onlyLabel == null ? "" : " (" + onlyLabel + ")")
                + ", cacheHitRate=" + (cacheHitRate == null ? null : cacheHitRate.toPlainString())
                + ", maxOutputTokens=" + maxOutputTokens + "]";
    }
}
