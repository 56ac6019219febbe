package dev.costmeter.bench.sink;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.PricedUsage;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The priced calls the ledger sink benchmark publishes, generated from a seed, and the sums
 * PostgreSQL must end with, computed here from what was generated (never read back from the topic).
 *
 * <p>Every {@link #RESEND_EVERY}th record is a re-send of an earlier call (the same bytes again, as a
 * metering retry after an aborted transaction would publish), so the topic holds more records than
 * the ledger must hold rows. Every {@link #HOSTILE_EVERY}th call carries text that COPY must escape
 * (tab, newline, carriage return, backslash, quotes, non-ASCII letters and an emoji) in its labels,
 * end user id and tool name.
 */
final class LedgerWorkload {

    static final int RESEND_EVERY = 100;
    static final int HOSTILE_EVERY = 50;
    static final List<String> TENANTS = List.of("acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka");
    private static final List<String> ROUTES = List.of("chat", "search", "summarize", "classify", "agent", "rag", "extract");
    private static final List<String> CLASSES = List.of("support-answer", "rag-qa", "classification", "agent-run", "summary");
    private static final List<String> MODELS = List.of("gpt-4o", "gpt-4o-mini", "claude-sonnet", "gemini-flash");
    /** nano-USD per million tokens: input, output, cache read, cache write. */
    private static final long[][] RATES = {
        {2_500_000_000L, 10_000_000_000L, 1_250_000_000L, 0L},
        {150_000_000L, 600_000_000L, 75_000_000L, 0L},
        {3_000_000_000L, 15_000_000_000L, 300_000_000L, 3_750_000_000L},
        {300_000_000L, 2_500_000_000L, 75_000_000L, 0L}};
    static final String HOSTILE = "tab\there, line\nbreak\r, back\\slash \\N, 'quote' \"dq\", équipe ß 東京 🚀";

    /** What the ledger table must hold once every record is written. */
    record Expected(long rows, long costNanos, Map<String, Long> costNanosByTenant, Map<String, Long> rowsByTenant,
            long hostileRows) {
    }

    /** Receives each record to publish, in order: its key and its value. */
    interface Publisher {
        void publish(String key, PricedUsage call, boolean resend) throws Exception;
    }

    private final int rows;
    private final long seed;
    private final Instant start;

    LedgerWorkload(int rows, long seed, Instant start) {
        this.rows = rows;
        this.seed = seed;
        this.start = start;
    }

    /** Publishes {@code rows} distinct calls plus the re-sends, and returns the sums they make. */
    Expected publish(Publisher publisher) throws Exception {
        Random random = new Random(seed);
        long cost = 0;
        Map<String, Long> costByTenant = new TreeMap<>();
        Map<String, Long> rowsByTenant = new TreeMap<>();
        Map<Integer, PricedUsage> recent = new HashMap<>();
        long hostile = 0;
        for (int i = 0; i < rows; i++) {
            PricedUsage call = call(i, random);
            publisher.publish(call.getEventId(), call, false);
            cost += call.getCostNanos();
            costByTenant.merge(call.getTenantId(), call.getCostNanos(), Long::sum);
            rowsByTenant.merge(call.getTenantId(), 1L, Long::sum);
            hostile += isHostile(i) ? 1 : 0;
            recent.put(i % RESEND_EVERY, call);
            if (i % RESEND_EVERY == RESEND_EVERY - 1) {
                PricedUsage again = recent.get(random.nextInt(RESEND_EVERY));
                publisher.publish(again.getEventId(), again, true);
            }
        }
        return new Expected(rows, cost, costByTenant, rowsByTenant, hostile);
    }

    private PricedUsage call(int i, Random random) {
        int task = random.nextInt(Math.max(1, rows / 10));
        int model = random.nextInt(MODELS.size());
        long input = 200 + random.nextInt(4000);
        long output = 20 + random.nextInt(900);
        long cacheRead = random.nextInt(4) == 0 ? 1024 + random.nextInt(4096) : 0;
        long cacheWrite = RATES[model][3] > 0 && random.nextInt(8) == 0 ? 512 + random.nextInt(2048) : 0;
        long inputCost = costOf(input, RATES[model][0]);
        long outputCost = costOf(output, RATES[model][1]);
        long cacheReadCost = costOf(cacheRead, RATES[model][2]);
        long cacheWriteCost = costOf(cacheWrite, RATES[model][3]);
        boolean hostile = isHostile(i);
        Instant eventTime = start.plusMillis(i / 20);
        Map<String, String> labels = hostile
                ? Map.of("team", HOSTILE, "ticket", "T-" + i, "ünï", "ç\\t")
                : Map.of("team", ROUTES.get(task % ROUTES.size()) + "-team", "env", "prod");
        return PricedUsage.newBuilder()
                .setEventId("ev-" + seed + "-" + i)
                .setEventTime(eventTime)
                .setTenantId(TENANTS.get(task % TENANTS.size()))
                .setTaskId("task-" + task)
                .setTaskClass(CLASSES.get(task % CLASSES.size()))
                .setRoute(ROUTES.get(task % ROUTES.size()))
                .setPromptVersion(ROUTES.get(task % ROUTES.size()) + "@v" + (task % 3))
                .setEndUserId(hostile ? "user\t" + i + " Zoë\n" : (random.nextBoolean() ? "user-" + random.nextInt(10_000) : null))
                .setProvider("bench")
                .setModel(MODELS.get(model))
                .setInputTokens(input)
                .setOutputTokens(output)
                .setCacheReadTokens(cacheRead)
                .setCacheWriteTokens(cacheWrite)
                .setReasoningTokens(output / 4)
                .setAttempt(random.nextInt(20) == 0 ? 2 : 1)
                .setStep(random.nextBoolean() ? random.nextInt(30) : null)
                .setToolName(hostile ? "search\\web\t" : (random.nextInt(3) == 0 ? "search" : null))
                .setStatus(random.nextInt(50) == 0 ? CallStatus.ERROR : CallStatus.OK)
                .setCostNanos(inputCost + outputCost + cacheReadCost + cacheWriteCost)
                .setInputCostNanos(inputCost)
                .setOutputCostNanos(outputCost)
                .setCacheReadCostNanos(cacheReadCost)
                .setCacheWriteCostNanos(cacheWriteCost)
                .setPriced(true)
                .setPriceVersion("bench/" + MODELS.get(model) + "@1")
                .setProviderCostNanos(random.nextInt(10) == 0 ? inputCost + outputCost : null)
                .setLabels(new HashMap<>(labels))
                .setPricedAt(eventTime.plusMillis(3))
                .setRequestCounts(random.nextInt(10) == 0 ? Map.of("web_search", 1L + random.nextInt(3)) : Map.of())
                .build();
    }

    private static boolean isHostile(int i) {
        return i % HOSTILE_EVERY == 7;
    }

    /** {@code tokens × rate / 1,000,000}, half-up, as metering rounds a token kind's cost. */
    private static long costOf(long tokens, long nanosPerMillion) {
        return Math.addExact(Math.multiplyExact(tokens, nanosPerMillion), 500_000L) / 1_000_000L;
    }
}
