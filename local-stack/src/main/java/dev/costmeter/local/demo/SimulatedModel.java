package dev.costmeter.local.demo;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Stands in for a provider: takes {@code latency} per call and answers with a usage object shaped
 * like OpenAI's Chat Completions {@code usage} (JSON text), with a cached prompt prefix and some
 * reasoning, so the example exercises the same mapping a real service would.
 */
public final class SimulatedModel {

    /** One answer: the model that served it and its usage JSON. */
    public record Response(String model, String usageJson) {
    }

    private final Duration latency;

    public SimulatedModel(Duration latency) {
        this.latency = latency;
    }

    /** "Calls" {@code model}: waits the simulated latency and returns usage. */
    public Response complete(String model, int promptTokens) {
        if (!latency.isZero()) {
            LockSupport.parkNanos(latency.toNanos());
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int cached = promptTokens / 2;
        int completion = 50 + random.nextInt(200);
        int reasoning = completion / 4;
        String usage = "{\"prompt_tokens\": " + promptTokens + ", \"completion_tokens\": " + completion
                + ", \"total_tokens\": " + (promptTokens + completion)
                + ", \"prompt_tokens_details\": {\"cached_tokens\": " + cached + ", \"audio_tokens\": 0}"
                + ", \"completion_tokens_details\": {\"reasoning_tokens\": " + reasoning + "}}";
        return new Response(model, usage);
    }
}
