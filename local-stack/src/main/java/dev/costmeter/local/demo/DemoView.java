package dev.costmeter.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.AlertStatus;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.schemas.control.CommandJudge;
import dev.costmeter.schemas.control.HighWater;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.topics.TopicNames;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The demo's live terminal view: spend per route and model with cache reads and writes (from
 * metering-stream's query API), alerts fired and resolved and kill switches flipped (from their
 * topics), and the looping agent's fate.
 */
public final class DemoView implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ROUTES = List.of("support-chat", "rag-qa", "nightly-classify", "summarize",
            "premium-chat", "research");
    private static final List<String> MODELS = List.of("anthropic/claude-sonnet-4-6", "google/gemini-2.5-pro",
            "openai/gpt-4o-mini", "openai/gpt-4o", "anthropic/claude-opus-4-6");

    private final String meteringUrl;
    private final DemoWorkload workload;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final KafkaConsumer<String, Alert> alerts;
    private final KafkaConsumer<String, ControlCommand> control;
    private final List<Alert> alertLog = new ArrayList<>();
    /** The newest verified command per scope, judged as the services judge them. */
    private final Map<String, HighWater> switches = new TreeMap<>();
    private final CommandJudge judge;
    private final Instant started = Instant.now();

    public DemoView(String bootstrapServers, String registryUrl, String meteringUrl, DemoWorkload workload) {
        this(bootstrapServers, registryUrl, meteringUrl, workload, Map.of());
    }

    /** @param kafkaSecurity the view's Kafka client security (a secure stack's operator principal reads alerts and control) */
    public DemoView(String bootstrapServers, String registryUrl, String meteringUrl, DemoWorkload workload,
            Map<String, String> kafkaSecurity) {
        this.meteringUrl = meteringUrl;
        this.workload = workload;
        TopicNames topics = TopicNames.defaults();
        this.alerts = consumer(bootstrapServers, registryUrl, kafkaSecurity, topics.alerts(), Alert.class);
        this.control = consumer(bootstrapServers, registryUrl, kafkaSecurity, topics.control(), ControlCommand.class);
        this.judge = new CommandJudge(workload.verifyKeys());
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> KafkaConsumer<String, T> consumer(String bootstrapServers,
            String registryUrl, Map<String, String> kafkaSecurity, String topic, Class<T> type) {
        AvroDeserializer<T> deserializer = new AvroDeserializer<>(type);
        deserializer.configure(Map.of(RegistryClientConfig.URL, registryUrl), false);
        Map<String, Object> props = new java.util.HashMap<>(kafkaSecurity);
        props.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        KafkaConsumer<String, T> consumer = new KafkaConsumer<>(props, new StringDeserializer(), deserializer);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Alerts seen so far (this run and earlier ones). */
    public synchronized List<Alert> alerts() {
        return List.copyOf(alertLog);
    }

    /** The newest command per scope that the services verify and hold. */
    public synchronized Map<String, ControlCommand> switches() {
        Map<String, ControlCommand> held = new TreeMap<>();
        switches.forEach((scope, water) -> {
            if (water.command() != null) {
                held.put(scope, water.command());
            }
        });
        return held;
    }

    /** Reads what arrived and prints one screen. */
    public synchronized void refresh(PrintStream out) {
        for (ConsumerRecord<String, Alert> record : alerts.poll(Duration.ofMillis(100))) {
            if (record.value() != null) {
                alertLog.add(record.value());
            }
        }
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, ControlCommand> record : control.poll(Duration.ofMillis(100))) {
            if (record.key() != null) {
                HighWater next = judge.judge(record.key(), record.value(), switches.get(record.key()), now).next();
                if (next != null) {
                    switches.put(record.key(), next);
                }
            }
        }
        out.print(render());
        out.flush();
    }

    /** One screen of the view, as text. */
    public String render() {
        StringBuilder s = new StringBuilder();
        if (System.console() != null) {
            s.append("\033[H\033[2J");
        }
        s.append(String.format("── costmeter demo ── %s ── running %ds ── calls sent %,d, refused by switches %,d%n",
                LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS), Duration.between(started, Instant.now()).toSeconds(),
                workload.callsSent(), workload.callsRefused()));
        s.append(String.format("%n%-28s %8s %14s %14s %14s%n", "spend today by route", "calls", "cost", "cache read tok",
                "cache write tok"));
        for (String route : ROUTES) {
            s.append(spendLine("route", route));
        }
        s.append(String.format("%n%-28s %8s %14s %14s %14s%n", "spend today by model", "calls", "cost", "cache read tok",
                "cache write tok"));
        for (String model : MODELS) {
            s.append(spendLine("model", model));
        }
        long fired = alertLog.stream().filter(a -> a.getStatus() == AlertStatus.FIRING).count();
        long resolved = alertLog.size() - fired;
        s.append(String.format("%nalerts: %d fired, %d resolved (latest first)%n", fired, resolved));
        for (int i = alertLog.size() - 1; i >= Math.max(0, alertLog.size() - 6); i--) {
            Alert a = alertLog.get(i);
            s.append(String.format("  %-8s %-8s %-16s %-40s %s%n", a.getStatus(), a.getSeverity(), a.getRule(), a.getScope(),
                    a.getSummary()));
        }
        s.append("\nkill switches in force:\n");
        long now = System.currentTimeMillis();
        switches.values().stream().filter(water -> water.inForce(now)).map(HighWater::command)
                .forEach(c -> s.append(String.format("  %-7s %-44s %s%n", c.getAction(), c.getScope(), c.getReason())));
        LoopingAgent.Result agent = workload.agentResult();
        s.append(String.format("%nlooping agent %s: %s%n", workload.agentTaskId(), agent == null ? "still calling the same tool..."
                : agent.blockedBy() == null ? "never blocked in " + agent.calls() + " calls"
                : "BLOCKED after " + agent.calls() + " calls, " + agent.overshoot(DemoWorkload.LOOP_CAP)
                        + " call(s) past its cap of " + DemoWorkload.LOOP_CAP + " repeats: " + agent.blockedBy()));
        s.append(cappedTenant("initech"));
        return s.toString();
    }

    /**
     * The capped tenant's fate: the BLOCK at 100% of its cap, how far past the cap its spend was
     * when the block was issued (from the alert's evidence), and its spend today, which also counts
     * the calls already in flight while the command travelled.
     */
    private String cappedTenant(String tenant) {
        String scope = "tenant:" + tenant;
        Alert block = alertLog.stream().filter(a -> a.getStatus() == AlertStatus.FIRING && a.getRule().equals("budget_cap")
                && a.getScope().equals(scope) && Integer.valueOf(100).equals(a.getThresholdPct())).reduce((a, b) -> b)
                .orElse(null);
        if (block == null) {
            return String.format("capped tenant %s: below its cap so far%n", scope);
        }
        long cap = block.getLimitValue();
        String overshoot = block.getEvidence().getOrDefault("overshoot_usd", "?");
        JsonNode total = spend("tenant", tenant);
        String today = total == null ? "" : String.format("; spend today %s (%s of the cap)",
                usd(total.path("cost_nanos").asLong()), percentOf(total.path("cost_nanos").asLong(), cap));
        return String.format("capped tenant %s: %s at 100%% of its %s cap, %s past it when the block was issued%s%n",
                scope, block.getAction(), usd(cap), overshoot, today);
    }

    /** {@code part} as a percentage of {@code whole}, one decimal, rounded half-up. */
    static String percentOf(long part, long whole) {
        return java.math.BigDecimal.valueOf(part).multiply(java.math.BigDecimal.valueOf(100))
                .divide(java.math.BigDecimal.valueOf(whole), 1, java.math.RoundingMode.HALF_UP).toPlainString() + "%";
    }

    private String spendLine(String dimension, String scope) {
        JsonNode total = spend(dimension, scope);
        if (total == null) {
            return String.format("  %-26s %8s%n", scope, "(metering not answering yet)");
        }
        return String.format("  %-26s %8d %14s %14d %14d%n", scope, total.path("calls").asLong(),
                usd(total.path("cost_nanos").asLong()), total.path("cache_read_tokens").asLong(),
                total.path("cache_write_tokens").asLong());
    }

    private JsonNode spend(String dimension, String scope) {
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("dimension", dimension);
        query.put("scope", scope);
        query.put("granularity", "day");
        query.put("from", today.toString());
        query.put("to", today.plus(Duration.ofDays(1)).toString());
        StringBuilder uri = new StringBuilder(meteringUrl).append("/v1/spend?");
        query.forEach((k, v) -> uri.append(k).append('=').append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)).append('&'));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri.toString()))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()).path("total") : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** Exact dollars from nano-USD, six decimals, half-up. */
    static String usd(long nanos) {
        long micros = (nanos + 500) / 1000;
        return String.format("$%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    @Override
    public synchronized void close() {
        alerts.close();
        control.close();
    }
}
