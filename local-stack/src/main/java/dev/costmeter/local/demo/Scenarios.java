package dev.costmeter.local.demo;

import dev.costmeter.client.usage.TokenUsage;
import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.Outcome;
import java.time.Duration;
import java.util.List;

/** The demo's simulated services: the problems costmeter exists for. */
final class Scenarios {

    private Scenarios() {
    }

    static List<Scenario> all(DemoServices services) {
        return List.of(supportChat(services), rag(services), nightlyBatch(services), brokenPrompt(services),
                capBurner(services));
    }

    /** A support chat whose long system prompt is cached: mostly cache reads, a cache write per conversation. */
    static Scenario supportChat(DemoServices services) {
        return new Scenario("support-chat", "acme", "support-chat", "support-answer", Duration.ofMillis(400), services, 1) {
            @Override
            void task(String taskId) {
                int turns = between(2, 4);
                for (int turn = 0; turn < turns; turn++) {
                    TokenUsage tokens = turn == 0
                            ? new TokenUsage(between(200, 600), between(150, 400), 0, 6_000, 0)
                            : new TokenUsage(between(200, 600), between(150, 400), 6_000, 0, 0);
                    if (!call(taskId, "support@v12", "anthropic", "claude-sonnet-4-6", tokens, CallStatus.OK, 1, false)) {
                        return;
                    }
                }
                finish(taskId, random.nextInt(10) == 0 ? Outcome.ESCALATED : Outcome.SUCCESS);
            }
        };
    }

    /** Retrieval-augmented answers with long retrieved context, some above the long-context threshold. */
    static Scenario rag(DemoServices services) {
        return new Scenario("rag", "globex", "rag-qa", "rag-qa", Duration.ofMillis(700), services, 2) {
            @Override
            void task(String taskId) {
                int context = random.nextInt(5) == 0 ? between(210_000, 260_000) : between(20_000, 90_000);
                if (call(taskId, "rag@v3", "google", "gemini-2.5-pro", new TokenUsage(context, between(300, 900), 0, 0, 0),
                        CallStatus.OK, 1, false)) {
                    finish(taskId, random.nextInt(4) == 0 ? Outcome.FAILURE : Outcome.SUCCESS);
                }
            }
        };
    }

    /** A nightly classification job through the batch API: bursts of small cheap calls. */
    static Scenario nightlyBatch(DemoServices services) {
        return new Scenario("nightly-batch", "acme", "nightly-classify", "classification", Duration.ofMillis(200), services, 3) {
            @Override
            void task(String taskId) {
                if (call(taskId, null, "openai", "gpt-4o-mini", TokenUsage.of(between(300, 800), between(5, 20)),
                        CallStatus.OK, 1, true)) {
                    finish(taskId, Outcome.SUCCESS);
                }
            }
        };
    }

    /** A broken prompt version: most calls fail and are retried, a retry storm on one version. */
    static Scenario brokenPrompt(DemoServices services) {
        return new Scenario("broken-prompt", "acme", "summarize", "summary", Duration.ofMillis(150), services, 4) {
            @Override
            void task(String taskId) {
                for (int attempt = 1; attempt <= 3; attempt++) {
                    boolean fails = random.nextInt(10) < 8;
                    if (!call(taskId, "summarize@v8", "openai", "gpt-4o", TokenUsage.of(between(1_500, 3_000), fails ? 0 : 300),
                            fails ? CallStatus.ERROR : CallStatus.OK, attempt, false)) {
                        return;
                    }
                    if (!fails) {
                        finish(taskId, Outcome.SUCCESS);
                        return;
                    }
                }
                finish(taskId, Outcome.FAILURE);
            }
        };
    }

    /**
     * A tenant on the premium model burning through its $3 daily cap in about half a minute: chat
     * turns of 3,000-5,000 input and 300-700 output tokens, about $0.03 each (1% of the cap), some
     * three a second. A cap is many calls wide, as in production, so how far past it the tenant gets
     * measures the control loop, not the size of one call: when each call was 5% of the cap (20k-token
     * prompts), any BLOCK slower than 0.6 s already meant 110%.
     */
    static Scenario capBurner(DemoServices services) {
        return new Scenario("cap-burner", "initech", "premium-chat", "support-answer", Duration.ofMillis(300), services, 5) {
            @Override
            void task(String taskId) {
                if (call(taskId, "premium@v1", "anthropic", "claude-opus-4-6",
                        TokenUsage.of(between(3_000, 5_000), between(300, 700)), CallStatus.OK, 1, false)) {
                    finish(taskId, Outcome.SUCCESS);
                }
            }
        };
    }
}
