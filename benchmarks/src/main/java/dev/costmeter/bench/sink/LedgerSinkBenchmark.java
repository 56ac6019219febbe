package dev.costmeter.bench.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.costmeter.bench.MeteringBenchmark;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.local.LocalStack;
import dev.costmeter.local.StackConfig;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.schemas.topics.TopicPlan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How many ledger rows per second the PostgreSQL ledger sink writes, through the real path: a Kafka
 * broker, the registry, PostgreSQL and a Kafka Connect worker each in its own process (the local
 * stack), the built plugin, and the shipped {@code ledger-sink.json}. Each round publishes the calls
 * to a fresh topic, then creates a connector on it writing to a fresh schema and times it until
 * PostgreSQL holds every row; then checks the table against the sums computed while publishing.
 * Any mismatch fails the run (exit status 1).
 *
 * <p>{@code benchmarks/run ledger-sink [--rows 500000] [--batch N] [--rounds 3] [--tasks 2] [--partitions 6]
 * [--writer copy|insert|insert:500,copy:5000]}. {@code --batch} sets the connector's {@code consumer.override.max.poll.records}
 * (the most records one {@code put()}, so one transaction, gets); without it the shipped config's value holds.
 * {@code --writer} sets {@code write.method}; without it the shipped default holds; a list runs
 * each in every round, one after the other, so all see the same load on a shared machine; {@code method:N}
 * gives that one its own {@code --batch}. Each round
 * also prints the CPU time per row of the Connect worker process and of PostgreSQL (all its processes).
 */
public final class LedgerSinkBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STALL_LIMIT = Duration.ofSeconds(180);
    private static final Set<String> OPTIONS = Set.of("--rows", "--batch", "--rounds", "--tasks", "--partitions", "--writer",
            "--seed", "--data-dir");

    /** One round of one writer: rows/s, and the worker's and PostgreSQL's CPU time per row in microseconds. */
    private record Round(double whole, double steady, double seconds, double workerCpuMicros, double postgresCpuMicros) {
    }

    private LedgerSinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int rows = positive(options, "--rows", "500000");
        int rounds = positive(options, "--rounds", "3");
        int tasks = positive(options, "--tasks", "2");
        int partitions = positive(options, "--partitions", "6");
        long seed = Long.parseLong(options.getOrDefault("--seed", "19"));
        String batch = options.get("--batch");
        if (batch != null) {
            positive(options, "--batch", batch);
        }
        // One writer, or several (copy,insert) measured one after the other in every round, so each sees the same load.
        List<String> writers = options.containsKey("--writer") ? List.of(options.get("--writer").split(",")) : List.of("");
        for (String writer : writers) {
            if (!Set.of("copy", "insert", "").contains(method(writer))) {
                throw new IllegalArgumentException("--writer is copy, insert or a list such as insert:500,copy, not "
                        + options.get("--writer"));
            }
            if (writer.contains(":")) {
                positive(Map.of(), "--writer batch", writer.substring(writer.indexOf(':') + 1));
            }
        }
        Path dataDir = Path.of(options.getOrDefault("--data-dir", "benchmarks/target/bench-data"));

        StackConfig config = StackConfig.defaults(dataDir.resolve("stack")).withFreePorts()
                .withShape(new StackConfig.Shape(1, 0, 0, true)).withoutGateway();
        System.out.printf("costmeter ledger sink benchmark: %,d calls per round (+%d%% re-sent), %d round(s), %d partitions, "
                        + "%d task(s), batch %s, writer %s, %d cores, load %s%n", rows, 100 / LedgerWorkload.RESEND_EVERY, rounds,
                partitions, tasks, batch == null ? "(shipped)" : batch, label(String.join(",", writers)),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        Map<String, List<Round>> results = new java.util.LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        try (LocalStack stack = LocalStack.start(config);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            // Ctrl-C stops the stack's processes too (PostgreSQL, Kafka, Connect run apart from this JVM).
            Thread stopStack = new Thread(stack::close, "bench-stop-stack");
            Runtime.getRuntime().addShutdownHook(stopStack);
            ProcessCpu cpu = ProcessCpu.find(config.dataDir().resolve("postgres"));
            for (int round = 1; round <= rounds; round++) {
                for (String writer : writers) {
                    String name = "r" + round + (writer.isEmpty() ? "" : "_" + writer.replace(':', '_'));
                    String topic = "bench.ledger." + name;
                    String schema = "bench_" + name;
                    // Stored as the stack stores llm.ledger.v1 (gzip, whatever the producer sends): the sink decompresses that.
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)
                            .configs(TopicPlan.READ_BY_OTHER_LANGUAGES))).all().get(60, TimeUnit.SECONDS);
                    long loadStart = System.nanoTime();
                    LedgerWorkload.Expected expected = load(stack, topic, rows, seed + round);
                    System.out.printf("round %d, writer %s: published %,d calls in %.1f s%n", round, label(writer), rows,
                            (System.nanoTime() - loadStart) / 1e9);
                    StackConfig.ExternalPostgres pg = stack.postgres();
                    try (LedgerDatabase db = new LedgerDatabase(pg.jdbcUrl(), pg.user(), pg.password(), schema)) {
                        ProcessCpu.Sample before = cpu.sample();
                        Round result = run(stack, db, connectorConfig(stack, topic, schema, tasks,
                                writer.contains(":") ? writer.substring(writer.indexOf(':') + 1) : batch, method(writer)),
                                "bench-ledger-" + name, expected.rows(), () -> cpu.sample().minus(before));
                        List<String> problems = db.mismatches(expected);
                        System.out.printf("round %d, writer %s: %,d rows in %.1f s = %,.0f rows/s whole, %,.0f rows/s steady; "
                                        + "CPU per row %s; sums %s; load %s%n", round, label(writer), expected.rows(), result.seconds(),
                                result.whole(), result.steady(), cpu.complete() ? String.format("worker %.1f us, PostgreSQL %.1f us",
                                        result.workerCpuMicros(), result.postgresCpuMicros()) : "unknown",
                                problems.isEmpty() ? "checked equal (rows, distinct ids, sum(cost_nanos), per tenant, escaped text)"
                                        : "WRONG", loadAverage());
                        int failedRound = round;
                        problems.forEach(p -> System.out.println("  MISMATCH " + p));
                        problems.forEach(p -> failures.add("round " + failedRound + ", writer " + label(writer) + ": " + p));
                        results.computeIfAbsent(writer, w -> new ArrayList<>()).add(result);
                    }
                }
            }
            Runtime.getRuntime().removeShutdownHook(stopStack);
        }
        results.forEach((writer, rounds1) -> System.out.printf("writer %s, median over %d round(s): %,.0f rows/s whole, "
                        + "%,.0f rows/s steady, CPU per row worker %.1f us, PostgreSQL %.1f us (whole %s; steady %s); load %s%n",
                label(writer), rounds1.size(), median(rounds1.stream().map(Round::whole).toList()),
                median(rounds1.stream().map(Round::steady).toList()), median(rounds1.stream().map(Round::workerCpuMicros).toList()),
                median(rounds1.stream().map(Round::postgresCpuMicros).toList()), rates(rounds1.stream().map(Round::whole).toList()),
                rates(rounds1.stream().map(Round::steady).toList()), loadAverage()));
        if (!failures.isEmpty()) {
            System.out.println("FAILED: PostgreSQL does not hold what was published");
            System.exit(1);
        }
    }

    /** {@code copy} of {@code copy:5000}. */
    private static String method(String writer) {
        return writer.contains(":") ? writer.substring(0, writer.indexOf(':')) : writer;
    }

    private static String label(String writer) {
        return writer.isEmpty() ? "(shipped)" : writer;
    }

    /** Pre-encodes nothing: the serializer runs as the producer sends, well ahead of what the sink takes. */
    private static LedgerWorkload.Expected load(LocalStack stack, String topic, int rows, long seed) throws Exception {
        AvroSerializer<PricedUsage> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(RegistryClientConfig.URL, stack.registryUrl()), false);
        // As metering produces (LZ4); the topic stores gzip all the same.
        Map<String, Object> props = MeteringBenchmark.producerProps(stack);
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            LedgerWorkload.Expected expected = new LedgerWorkload(rows, seed, start).publish((key, call, resend) ->
                    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, call))));
            producer.flush();
            return expected;
        }
    }

    /** The shipped ledger connector config, pointed at this round's topic and schema. */
    private static ObjectNode connectorConfig(LocalStack stack, String topic, String schema, int tasks, String batch,
            String writer) throws Exception {
        Path shipped = stack.config().connectorConfigDir().resolve("ledger-sink.json");
        StackConfig.ExternalPostgres pg = stack.postgres();
        String json = Files.readString(shipped, StandardCharsets.UTF_8)
                .replace("http://localhost:8081", stack.registryUrl())
                .replace("${COSTMETER_PG_URL}", pg.jdbcUrl())
                .replace("${COSTMETER_PG_USER}", pg.user())
                .replace("${COSTMETER_PG_PASSWORD}", "${env:COSTMETER_PG_PASSWORD}");
        ObjectNode config = (ObjectNode) JSON.readTree(json).path("config");
        config.put("topics", topic);
        config.put("topic.ledger", topic);
        config.put("db.schema", schema);
        config.put("tasks.max", Integer.toString(tasks));
        config.put("errors.deadletterqueue.topic.name", "bench.ledger-sink.dlq");
        if (batch != null) {
            config.put("consumer.override.max.poll.records", batch);
        }
        if (!writer.isEmpty()) {
            config.put("write.method", writer);
        }
        return config;
    }

    /** Creates the connector, waits until the ledger holds {@code rows} rows, deletes the connector. */
    private static Round run(LocalStack stack, LedgerDatabase db, ObjectNode config, String name, long rows,
            java.util.function.Supplier<ProcessCpu.Sample> cpuSoFar) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long startMicros = db.nowMicros();
        long begin = System.nanoTime();
        send(http, HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/" + name + "/config"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(config.toString())));
        long lastProgress = System.nanoTime();
        long lastChange = System.nanoTime();
        long seen = -1;
        long counted = -1;
        long lastPrint = System.nanoTime();
        while (true) {
            Thread.sleep(200);
            long inserted = db.insertedSoFar();
            if (inserted != seen) {
                seen = inserted;
                lastChange = System.nanoTime();
                lastProgress = lastChange;
            }
            // PostgreSQL 14 publishes a backend's statistics only while it works: once the sink is idle (done or
            // stuck) they stop moving, so then (and once they reach the end) the table is counted exactly.
            if (inserted >= rows || System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(1)) {
                long exact = db.rows();
                if (exact == rows) {
                    break;
                }
                if (exact != counted) {
                    counted = exact;
                    lastProgress = System.nanoTime();
                }
                lastChange = System.nanoTime();
            }
            if (System.nanoTime() - lastProgress > STALL_LIMIT.toNanos()) {
                throw new IllegalStateException("No progress for " + STALL_LIMIT.toSeconds() + " s at " + counted + " of " + rows
                        + " rows; connector status: " + send(http, HttpRequest.newBuilder(
                                URI.create(stack.connectUrl() + "/connectors/" + name + "/status")).GET()));
            }
            if (System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(10)) {
                lastPrint = System.nanoTime();
                System.out.printf("  about %,d of %,d rows after %.0f s%n", inserted, rows, (lastPrint - begin) / 1e9);
            }
        }
        ProcessCpu.Sample cpu = cpuSoFar.get();
        double seconds = (db.lastWriteMicros() - startMicros) / 1e6;
        send(http, HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/" + name)).DELETE());
        return new Round(rows / seconds, db.steadyRate(rows), seconds, cpu.workerNanos() / 1e3 / rows,
                cpu.postgresNanos() / 1e3 / rows);
    }

    private static String send(HttpClient http, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> answer = http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException("Connect answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String rates(List<Double> values) {
        return values.stream().map(v -> String.format("%,.0f", v)).toList().toString();
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static int positive(Map<String, String> options, String key, String fallback) {
        String value = options.getOrDefault(key, fallback);
        try {
            int parsed = Integer.parseInt(value.replace("_", ""));
            if (parsed < 1) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a positive whole number, not " + value);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String key = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("Unknown option " + arg + "; options: " + OPTIONS);
            }
            if (arg.contains("=")) {
                options.put(key, arg.substring(arg.indexOf('=') + 1));
            } else if (i + 1 < args.length) {
                options.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
        }
        return options;
    }
}
