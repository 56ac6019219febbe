package dev.costmeter.pricing.scenario;

import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.pricing.LedgeredCall;
import dev.costmeter.pricing.Rates;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A ledgered call as a {@link Scenario} would have made it, before it is priced. The rules, in the
 * order they apply (cli/README.md, section What-if, states them for users):
 *
 * <ol>
 *   <li>Model: the call goes to the scenario's model with the same tokens of every kind, the same
 *       batch flag, service tier, request counts and response-cache hit.</li>
 *   <li>Batch: a call the scenario moves (every call, or only those carrying the non-interactive
 *       label) is a batch call, out of any service tier, since batch is a lane of its own.</li>
 *   <li>Prompt cache: the call's prompt (input + cache-read + cache-write tokens) is split again:
 *       {@code round_half_up(prompt × rate)} tokens are read from the cache; the misses are written
 *       to it at the default lifetime when the price has a write premium (its cache-write rate is
 *       above its input rate, as Anthropic's 1.25×), else they are plain input (a provider that
 *       caches without charging for writes).</li>
 *   <li>Output cap: output tokens are at most the cap, and reasoning tokens (a part of output) too.</li>
 * </ol>
 */
public final class ScenarioCall {

    private ScenarioCall() {
    }

    /**
     * What the scenario changed in one call.
     *
     * @param event          the call as the scenario makes it, to price with {@code CallCost}
     * @param movedToBatch   the scenario sent it through batch (it was not a batch call)
     * @param outputTokensCut output tokens the cap removed
     */
    public record Rewritten(UsageEvent event, boolean movedToBatch, long outputTokensCut) {
    }

    /**
     * The call under {@code scenario}; {@code rates} (the scenario model's price in force at the call's
     * time, or null when there is none) decide only whether cache misses are writes.
     */
    public static Rewritten rewrite(PricedUsage call, Scenario scenario, Rates rates) {
        UsageEvent event = LedgeredCall.usageOf(call);
        if (scenario.changesModel()) {
            event.setProvider(scenario.provider());
            event.setModel(scenario.model());
        }
        boolean movedToBatch = false;
        if (scenario.batch() && !event.getBatch() && (scenario.onlyLabel() == null || scenario.onlyLabel().on(event.getLabels()))) {
            event.setBatch(true);
            event.setServiceTier(null);
            movedToBatch = true;
        }
        if (scenario.cacheHitRate() != null) {
            long prompt = Math.addExact(Math.addExact(event.getInputTokens(), event.getCacheReadTokens()),
                    event.getCacheWriteTokens());
            long reads = BigDecimal.valueOf(prompt).multiply(scenario.cacheHitRate()).setScale(0, RoundingMode.HALF_UP)
                    .longValueExact();
            long misses = prompt - reads;
            boolean writePremium = rates != null && rates.cacheWrite() > rates.input();
            event.setCacheReadTokens(reads);
            event.setCacheWriteTokens(writePremium ? misses : 0L);
            event.setCacheWrite1hTokens(0L);
            event.setInputTokens(writePremium ? 0L : misses);
        }
        long cut = 0;
        if (scenario.maxOutputTokens() != null && event.getOutputTokens() > scenario.maxOutputTokens()) {
            cut = event.getOutputTokens() - scenario.maxOutputTokens();
            event.setOutputTokens(scenario.maxOutputTokens());
            event.setReasoningTokens(Math.min(event.getReasoningTokens(), scenario.maxOutputTokens()));
        }
        return new Rewritten(event, movedToBatch, cut);
    }
}
