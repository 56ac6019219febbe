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
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The demo's live terminal view: spend today per route and per model with the cost of cache reads
 * and writes (rows for the scopes the ledger shows billed today, figures from metering-stream's
 * query API), alerts fired and resolved and kill switches in force (from their topics), the
 * looping agent's fate and the capped tenant's. On a terminal each refresh redraws the screen in
 * place; otherwise (a pipe, a file) each refresh is a block of its own.
 */
public final class DemoView implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Alerts listed by name; the rest are counted ("N more not shown"). */
    private static final int ALERTS_SHOWN = 8;
    /** Reads of the two tables before showing ones that do not add up (calls were arriving between the reads). */
    private static final int CONSISTENT_READ_TRIES = 4;
    private static final String HOME = "\033[H";
    private static final String CLEAR_LINE_END = "\033[K";
    private static final String CLEAR_BELOW = "\033[J";

    private final String meteringUrl;
    private final DemoWorkload workload;
    private final boolean terminal;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final KafkaConsumer<String, Alert> alerts;
    private final KafkaConsumer<String, ControlCommand> control;
    private final LedgerScopes ledgerScopes;
    private final List<Alert> alertLog = new ArrayList<>();
    /** The newest verified command per scope, judged as the services judge them. */
    private final Map<String, HighWater> switches = new TreeMap<>();
    private final CommandJudge judge;
    private final Instant started = Instant.now();
    private SpendTables spend = SpendTables.EMPTY;
    private boolean meteringAnswering;
    private boolean firstScreen = true;

    public DemoView(String bootstrapServers, String registryUrl, String meteringUrl, DemoWorkload workload) {
        this(bootstrapServers, registryUrl, meteringUrl, workload, Map.of());
    }

    /** @param kafkaSecurity the view's Kafka client security (a secure stack's operator principal reads alerts, control and the ledger) */
    public DemoView(String bootstrapServers, String registryUrl, String meteringUrl, DemoWorkload workload,
            Map<String, String> kafkaSecurity) {
        this.meteringUrl = meteringUrl;
        this.workload = workload;
        this.terminal = System.console() != null;
        TopicNames topics = TopicNames.defaults();
        this.alerts = consumer(bootstrapServers, registryUrl, kafkaSecurity, topics.alerts(), Alert.class);
        this.control = consumer(bootstrapServers, registryUrl, kafkaSecurity, topics.control(), ControlCommand.class);
        this.ledgerScopes = new LedgerScopes(bootstrapServers, registryUrl, kafkaSecurity);
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
        readSpend();
        String screen = render();
        if (terminal) {
            // Home, then each line over the last screen's: no flicker, nothing scrolls.
            out.print((firstScreen ? "\033[2J" : "") + HOME + screen.replace(String.format("%n"), CLEAR_LINE_END + String.format("%n"))
                    + CLEAR_BELOW);
        } else {
            out.print(String.format("%n") + screen);
        }
        firstScreen = false;
        out.flush();
    }

    /**
     * Asks metering for today's spend of every route and model the ledger shows billed today. Calls
     * arrive while the answers come in, so the two tables are read again until they add up.
     */
    private void readSpend() {
        LedgerScopes.Scopes scopes = ledgerScopes.on(LocalDate.now(ZoneOffset.UTC));
        for (int attempt = 0; attempt < CONSISTENT_READ_TRIES; attempt++) {
            Optional<Map<String, JsonNode>> routes = answers("route", scopes.routes());
            Optional<Map<String, JsonNode>> models = answers("model", scopes.models());
            meteringAnswering = routes.isPresent() && models.isPresent();
            if (!meteringAnswering) {
                return;
            }
            spend = SpendTables.fromSpendAnswers(routes.get(), models.get());
            if (spend.addsUp()) {
                return;
            }
        }
    }

    private Optional<Map<String, JsonNode>> answers(String dimension, Set<String> scopes) {
        Map<String, JsonNode> answers = new TreeMap<>();
        for (String scope : scopes) {
            JsonNode answer = spend(dimension, scope);
            if (answer == null) {
                return Optional.empty();
            }
            answers.put(scope, answer);
        }
        return Optional.of(answers);
    }

    /** One screen of the view, as text. */
    public synchronized String render() {
        StringBuilder s = new StringBuilder();
        s.append(String.format("── costmeter demo ── %s UTC ── running %ds ── calls sent %,d, refused by switches %,d%n",
                LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS), Duration.between(started, Instant.now()).toSeconds(),
                workload.callsSent(), workload.callsRefused()));
        s.append(String.format("money: USD, 6 decimals, rounded half-up from exact nano-USD%n"));
        if (!meteringAnswering) {
            s.append(String.format("%nspend today: (metering not answering yet)%n"));
        } else {
            table(s, "spend today by route", spend.routes(), spend.routeTotal());
            table(s, "spend today by model", spend.models(), spend.modelTotal());
            if (!spend.addsUp()) {
                s.append(String.format("  (calls arrived between the reads of the two tables; the next refresh catches up)%n"));
            }
        }
        Map<String, ControlCommand> held = switches();
        s.append(String.format("%n")).append(AlertLines.render(alertLog, ALERTS_SHOWN, held));
        s.append(String.format("%nkill switches in force:%n"));
        long now = System.currentTimeMillis();
        switches.values().stream().filter(water -> water.inForce(now)).map(HighWater::command)
                .forEach(c -> s.append(String.format("  %-7s %-44s %s%s%n", c.getAction(), c.getScope(),
                        c.getFallbackModel() == null ? "" : "to " + c.getFallbackModel() + ": ", c.getReason())));
        LoopingAgent.Result agent = workload.agentResult();
        s.append(String.format("%nlooping agent %s: %s%n", workload.agentTaskId(), agent == null ? "still calling the same tool..."
                : agent.blockedBy() == null ? "never blocked in " + agent.calls() + " calls"
                : "BLOCKED after " + agent.calls() + " calls, " + agent.overshoot(DemoWorkload.LOOP_CAP)
                        + " call(s) past its cap of " + DemoWorkload.LOOP_CAP + " repeats: " + agent.blockedBy()));
        s.append(cappedTenant("initech"));
        return s.toString();
    }

    private static void table(StringBuilder s, String title, List<SpendRow> rows, SpendRow total) {
        String format = "  %-34s %8s %14s %14s %14s %12s %12s%n";
        s.append(String.format("%n" + format, title, "calls", "cost", "cache read", "cache write", "read tok", "write tok"));
        for (SpendRow row : rows) {
            s.append(row(format, row.scope(), row));
        }
        s.append(row(format, "total", total));
    }

    private static String row(String format, String name, SpendRow row) {
        return String.format(format, name, String.format("%,d", row.calls()), DemoMoney.usd(row.costNanos()),
                DemoMoney.usd(row.cacheReadCostNanos()), DemoMoney.usd(row.cacheWriteCostNanos()),
                String.format("%,d", row.cacheReadTokens()), String.format("%,d", row.cacheWriteTokens()));
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
        String overshootNanos = block.getEvidence().get("overshoot_nanos");
        String overshoot = overshootNanos == null ? "?" : DemoMoney.usd(Long.parseLong(overshootNanos));
        JsonNode answer = spend("tenant", tenant);
        long today = answer == null ? -1 : answer.path("total").path("cost_nanos").asLong();
        String spent = today < 0 ? "" : String.format("; spend today %s (%s of the cap)", DemoMoney.usd(today),
                DemoMoney.percentOf(today, cap));
        return String.format("capped tenant %s: %s at 100%% of its %s cap, %s past it when the block was issued%s%n",
                scope, block.getAction(), DemoMoney.usd(cap), overshoot, spent);
    }

    /** {@code part} as a percentage of {@code whole}, one decimal, rounded half-up. */
    static String percentOf(long part, long whole) {
        return DemoMoney.percentOf(part, whole);
    }

    /** Metering's whole answer to today's spend of one scope, or null when it does not answer. */
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
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Exact dollars from nano-USD: {@link DemoMoney#usd(long)}. */
    static String usd(long nanos) {
        return DemoMoney.usd(nanos);
    }

    @Override
    public synchronized void close() {
        alerts.close();
        control.close();
        ledgerScopes.close();
    }
}
