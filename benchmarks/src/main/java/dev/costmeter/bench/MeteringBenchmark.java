package dev.costmeter.bench;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.local.LocalStack;
import dev.costmeter.local.StackConfig;
import dev.costmeter.metering.MeteringApp;
import dev.costmeter.metering.MeteringTopology;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.config.StreamsDefaults;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.registry.RestSchemaRegistryClient;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.schemas.topics.TopicPlan;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * Metering throughput with exactly-once on, next to the ceiling measured in the same run on the same
 * topic: a copy pipeline that reads, decodes, re-encodes and writes each event once, also under
 * exactly-once. Both read the same pre-loaded topic from the beginning, one after the other, with the
 * same number of stream threads, against a real broker in its own process.
 *
 * <p>{@code benchmarks/run metering [--events 2000000] [--partitions 6] [--threads 1] [--tasks 100000 | --shapes S,S,...]
 * [--rounds N]} (with several rounds, each measures the copy and then metering again, and the median ratios are
 * printed). A shape ({@link WorkShape}) is a task count and how calls spread over the tasks; with several, each
 * is loaded into its own topic and measured against the ceiling of the same run, and a table compares them. Each
 * round measures every shape in turn, so that no shape always runs in a younger or older JVM than another.
 * Each pipeline's rate is printed over its whole run and in steady state ({@link OutputRate}).
 */
public final class MeteringBenchmark {

    private static final List<String> TENANTS = List.of("acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka");
    private static final List<String> ROUTES = List.of("chat", "search", "summarize", "classify", "agent", "rag", "extract");
    private static final List<String> CLASSES = List.of("support-answer", "rag-qa", "classification", "agent-run", "summary");
    private static final List<String> MODELS = List.of("gpt-4o", "gpt-4o-mini", "claude-sonnet", "gemini-flash");
    private static final String PRICES_TOPIC = "bench.prices";

    private MeteringBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int events = Integer.parseInt(options.getOrDefault("--events", "2000000"));
        int partitions = Integer.parseInt(options.getOrDefault("--partitions", "6"));
        int threads = Integer.parseInt(options.getOrDefault("--threads", "1"));
        // Scale-out: with N > 1, each round also meters with N instances of the app (same application id,
        // own state directories: partitions are shared among them) and prints the ratio to one instance.
        int instances = Integer.parseInt(options.getOrDefault("--instances", "1"));
        if (instances < 1) {
            throw new IllegalArgumentException("--instances must be at least 1, not " + instances);
        }
        List<WorkShape> shapes = shapes(options);
        // One shape: three rounds by default (median ratios); several: one round each unless asked.
        int rounds = Integer.parseInt(options.getOrDefault("--rounds", shapes.size() == 1 ? "3" : "1"));
        Path dataDir = Path.of(options.getOrDefault("--data-dir", "benchmarks/target/bench-data"));

        StackConfig config = StackConfig.defaults(dataDir.resolve("stack"))
                .withPorts(new StackConfig.Ports(freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort(),
                        freePort())).infrastructureOnly();
        System.out.printf("costmeter metering benchmark: %,d events per shape, shapes %s, %d partitions, %d stream thread(s), "
                + "%d cores, Java %s, collectors %s, JVM options %s%n", events, shapes.stream().map(WorkShape::label).toList(),
                partitions, threads, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(java.lang.management.GarbageCollectorMXBean::getName).toList(),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> a.startsWith("-XX:") || a.startsWith("-Xm")).toList());
        try (LocalStack stack = LocalStack.start(config);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Map<String, Object> registryConfig = Map.of(RegistryClientConfig.URL, stack.registryUrl());
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(RegistryClientConfig.forUrl(stack.registryUrl()));
            Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            admin.createTopics(List.of(new NewTopic(PRICES_TOPIC, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all().get(60, TimeUnit.SECONDS);
            publishPrices(stack, PRICES_TOPIC, registryConfig, now);
            Progress progress = new Progress(admin);
            // Every shape is loaded first; then each round measures every shape in turn. Rounds of one
            // shape after another put each shape at one age of the JVM and the broker: measured, the
            // default shape ran at 82,000-96,000 events/s alone but 59,000-89,000 after three rounds of
            // the long-task shape, so the order of --shapes decided the comparison.
            Map<WorkShape, Map<String, String>> topicsOf = new java.util.LinkedHashMap<>();
            for (WorkShape shape : shapes) {
                Map<String, String> topics = createTopics(admin, partitions, shape);
                long loadStart = System.nanoTime();
                load(stack, topics.get("topic.usage"), registryConfig, events, shape, now);
                double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
                System.out.printf("shape %s: loaded %,d events in %.1f s (%,.0f events/s)%n", shape.label(), events, loadSeconds,
                        events / loadSeconds);
                topicsOf.put(shape, topics);
            }
            Map<WorkShape, List<Rates>> copies = new java.util.LinkedHashMap<>();
            Map<WorkShape, List<Rates>> meterings = new java.util.LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                for (WorkShape shape : shapes) {
                    Map<String, String> topics = topicsOf.get(shape);
                    String suffix = "-" + shape.label() + (rounds == 1 ? "" : "-" + round);
                    System.out.printf("shape %s%s%n", shape.label(), rounds == 1 ? "" : ", round " + round + " of " + rounds);
                    Rates copy = copy(stack, admin, progress, topics, registry, registryConfig, events, partitions, threads,
                            dataDir, suffix);
                    Rates metering = metering(stack, admin, progress, topics, events, partitions, threads, 1, dataDir, suffix);
                    copies.computeIfAbsent(shape, s -> new ArrayList<>()).add(copy);
                    meterings.computeIfAbsent(shape, s -> new ArrayList<>()).add(metering);
                    System.out.printf("ratio      metering / ceiling = %.1f%% overall, %.1f%% steady%n",
                            100.0 * metering.overall() / copy.overall(), 100.0 * metering.steady() / copy.steady());
                    if (instances > 1) {
                        Rates scaled = metering(stack, admin, progress, topics, events, partitions, threads, instances, dataDir,
                                suffix + "-x" + instances);
                        System.out.printf("scale-out  %d instances / 1 instance = %.2f overall, %.2f steady%n", instances,
                                scaled.overall() / metering.overall(), scaled.steady() / metering.steady());
                    }
                }
            }
            List<ShapeResult> results = new ArrayList<>();
            for (WorkShape shape : shapes) {
                ShapeResult result = ShapeResult.of(shape, copies.get(shape), meterings.get(shape));
                if (rounds > 1) {
                    System.out.printf("%s ratios: overall %s, median %.1f%%; steady %s, median %.1f%%%n", shape.label(),
                            percents(result.ratios(Rates::overall)), result.ratio(Rates::overall),
                            percents(result.ratios(Rates::steady)), result.ratio(Rates::steady));
                }
                results.add(result);
            }
            if (results.size() > 1) {
                System.out.print(ShapeResult.table(results));
            }
        }
    }

    private static List<WorkShape> shapes(Map<String, String> options) {
        if (options.containsKey("--shapes") && options.containsKey("--tasks")) {
            throw new IllegalArgumentException("Give either --tasks N (one uniform shape) or --shapes, not both");
        }
        String shapes = options.getOrDefault("--shapes", options.getOrDefault("--tasks", "100000"));
        List<WorkShape> parsed = java.util.Arrays.stream(shapes.split(",")).map(WorkShape::parse).toList();
        if (new java.util.HashSet<>(parsed).size() < parsed.size()) {
            throw new IllegalArgumentException("A shape is given twice in --shapes " + shapes + "; use --rounds to repeat one");
        }
        return parsed;
    }

    private static List<String> percents(List<Double> values) {
        return values.stream().map(r -> String.format("%.1f%%", r)).toList();
    }

    private static Rates copy(LocalStack stack, Admin admin, Progress progress, Map<String, String> topics,
            RestSchemaRegistryClient registry, Map<String, Object> registryConfig, int events, int partitions, int threads,
            Path dataDir, String suffix) throws Exception {
        String copyOut = "bench.copy.out" + suffix;
        String applicationId = "bench-copy" + suffix;
        // The copy's output stands for the ledger: created with the ledger's topic configs, so both pay the same.
        admin.createTopics(List.of(new NewTopic(copyOut, partitions, (short) 1).configs(TopicPlan.READ_BY_OTHER_LANGUAGES)))
                .all().get(30, TimeUnit.SECONDS);
        Properties copyProps = streamsProps(stack, applicationId, threads, dataDir.resolve("copy-state" + suffix));
        try (KafkaStreams copy = new KafkaStreams(CopyTopology.build(topics.get("topic.usage"), copyOut, registry,
                registryConfig), copyProps)) {
            Rates rate = measure("ceiling (copy, exactly-once)", events, admin, copyOut, partitions, () -> copy.start(),
                    () -> progress.awaitCaughtUp(applicationId, List.of(topics.get("topic.usage")), Duration.ofMinutes(30)));
            copy.close(Duration.ofSeconds(30));
            return rate;
        }
    }

    private static Rates metering(LocalStack stack, Admin admin, Progress progress, Map<String, String> shapeTopics, int events,
            int partitions, int threads, int instances, Path dataDir, String suffix) throws Exception {
        String applicationId = "bench-metering" + suffix;
        Map<String, String> topics = new HashMap<>(shapeTopics);
        topics.putAll(createOutputTopics(admin, partitions, applicationId));
        List<StreamsApp> apps = new ArrayList<>();
        try {
            for (int instance = 0; instance < instances; instance++) {
                Map<String, String> appConfig = new HashMap<>(MeteringApp.defaults());
                appConfig.putAll(topics);
                appConfig.put("application.id", applicationId);
                appConfig.put("bootstrap.servers", stack.bootstrapServers());
                appConfig.put("schema.registry.url", stack.registryUrl());
                appConfig.put("http.port", "0");
                appConfig.put("state.dir", dataDir.resolve("metering-state" + suffix + (instances == 1 ? "" : "-" + instance)).toString());
                appConfig.put("num.stream.threads", Integer.toString(threads));
                // Per process: instances in this JVM share one bounded RocksDB memory (the first one's size).
                appConfig.put("rocksdb.total.memory.bytes", Long.toString(512L * 1024 * 1024));
                System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("metering."))
                        .forEach(k -> appConfig.put(k.substring("metering.".length()), System.getProperty(k)));
                apps.add(MeteringApp.create(AppConfig.of(MeteringApp.APP_NAME, appConfig)));
            }
            String name = instances == 1 ? "metering (exactly-once)" : "metering x" + instances + " instances";
            // One ledger record per event: its end offsets show how far metering has got.
            Rates rates = measure(name, events, admin, topics.get("topic.ledger"), partitions, () -> {
                for (StreamsApp app : apps) {
                    app.start();
                }
            }, () -> progress.awaitCaughtUp(applicationId,
                    List.of(topics.get("topic.usage"), topics.get("topic.task-outcomes")), Duration.ofMinutes(60)));
            if (instances == 1) {
                timeTopTasksQuery(apps.get(0));
            }
            return rates;
        } finally {
            for (StreamsApp app : apps) {
                app.close();
            }
        }
    }

    /**
     * How long {@code /v1/top-tasks} takes over what this run left in the task store: the query scans
     * every task of the instance (there is no index by day), so its time grows with the tasks kept.
     */
    private static void timeTopTasksQuery(StreamsApp app) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + app.httpPort() + "/v1/top-tasks?limit=10&day=" + LocalDate.now(ZoneOffset.UTC))).build();
        long[] millis = new long[3];
        for (int i = 0; i < millis.length; i++) {
            long begin = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            millis[i] = (System.nanoTime() - begin) / 1_000_000;
            if (response.statusCode() != 200) {
                System.out.printf("top-tasks query answered %d: %s%n", response.statusCode(), response.body());
                return;
            }
        }
        java.util.Arrays.sort(millis);
        // Counted, not RocksDB's estimate (which counts every version of a key not yet compacted away).
        long tasks = 0;
        try (KeyValueIterator<String, Object> all = app.streams().store(StoreQueryParameters.fromNameAndType(
                MeteringTopology.TASK_STORE, QueryableStoreTypes.<String, Object>keyValueStore())).all()) {
            for (; all.hasNext(); all.next()) {
                tasks++;
            }
        }
        System.out.printf("top-tasks query (one pass over the task store, %,d tasks): %,d ms (median of 3)%n", tasks, millis[1]);
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * Events per second over the whole run (start-up included) and between 10% and 90% of the output,
     * and the app's CPU time per event.
     */
    record Rates(double overall, double steady, double cpuMicrosPerEvent) {
    }

    private static Rates measure(String name, int events, Admin admin, String outputTopic, int outputPartitions, Step start,
            Step awaitDone) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        try (OutputRate output = new OutputRate(admin, outputTopic, outputPartitions)) {
            long cpuBefore = os.getProcessCpuTime();
            long begin = System.nanoTime();
            start.run();
            awaitDone.run();
            double seconds = (System.nanoTime() - begin) / 1e9;
            double cpuMicrosPerEvent = (os.getProcessCpuTime() - cpuBefore) / 1e3 / events;
            Rates rates = new Rates(events / seconds, output.steadyRate(events), cpuMicrosPerEvent);
            // CPU time of this JVM (the app; the broker runs in its own process) is steadier than wall time
            // on a shared machine, so it is shown to compare versions of the app.
            System.out.printf("%-30s %,d events in %.1f s = %,.0f events/s; steady %,.0f events/s (app CPU %.1f us/event)%n",
                    name, events, seconds, rates.overall(), rates.steady(), cpuMicrosPerEvent);
            return rates;
        }
    }

    private static Properties streamsProps(LocalStack stack, String applicationId, int threads, Path stateDir) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "bootstrap.servers", stack.bootstrapServers(),
                "state.dir", stateDir.toString(),
                "num.stream.threads", Integer.toString(threads),
                // The same commit interval as metering's default, so both pay the same transaction rate.
                "commit.interval.ms", MeteringApp.defaults().get("commit.interval.ms")));
        // And the same client tuning: the producer's (compression, batch size) and the main consumer's (fetch sizes,
        // receive buffer), so that the copy reads and writes as metering does.
        MeteringApp.defaults().forEach((key, value) -> {
            if (key.startsWith("producer.") || key.startsWith("main.consumer.")) {
                settings.put(key, value);
            }
        });
        AppConfig config = AppConfig.of("bench", settings);
        Properties props = StreamsDefaults.baseProperties(config, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        return props;
    }

    /** A shape's input topics, which every round reads. */
    private static Map<String, String> createTopics(Admin admin, int partitions, WorkShape shape) throws Exception {
        Map<String, String> topics = create(admin, partitions, "bench." + shape.label() + ".",
                List.of("usage", "task-outcomes", "price-corrections"));
        topics.put("topic.prices", PRICES_TOPIC);
        return topics;
    }

    /**
     * One metering run's output topics, new for each run as the copy's output topic is, so that both
     * pipelines append to topics of the same age: before, every round of a shape appended its ledger
     * to the same topic.
     */
    private static Map<String, String> createOutputTopics(Admin admin, int partitions, String run) throws Exception {
        return create(admin, partitions, run + ".", List.of("ledger", "rollups", "usage-dlq", "ledger-corrections"));
    }

    private static Map<String, String> create(Admin admin, int partitions, String prefix, List<String> logicalNames)
            throws Exception {
        Map<String, String> topics = new HashMap<>();
        List<NewTopic> create = new ArrayList<>();
        for (String logical : logicalNames) {
            String name = prefix + logical;
            topics.put("topic." + logical, name);
            NewTopic topic = new NewTopic(name, logical.equals("usage-dlq") ? 1 : partitions, (short) 1);
            // As the stack creates them: the ledger and rollups gzip on the broker (TopicPlan).
            create.add(logical.equals("ledger") || logical.equals("rollups") ? topic.configs(TopicPlan.READ_BY_OTHER_LANGUAGES) : topic);
        }
        admin.createTopics(create).all().get(60, TimeUnit.SECONDS);
        return topics;
    }

    private static void publishPrices(LocalStack stack, String topic, Map<String, Object> registryConfig, Instant now)
            throws Exception {
        AvroSerializer<PriceEntry> serializer = new AvroSerializer<>();
        serializer.configure(registryConfig, false);
        try (KafkaProducer<String, PriceEntry> producer = new KafkaProducer<>(producerProps(stack), new StringSerializer(), serializer)) {
            long[][] rates = {{2_500_000_000L, 10_000_000_000L}, {150_000_000L, 600_000_000L}, {3_000_000_000L, 15_000_000_000L},
                {300_000_000L, 2_500_000_000L}};
            for (int i = 0; i < MODELS.size(); i++) {
                producer.send(new ProducerRecord<>(topic, "bench/" + MODELS.get(i), PriceEntry.newBuilder().setProvider("bench")
                        .setModel(MODELS.get(i)).setEffectiveFrom(now.minus(Duration.ofDays(1)))
                        .setInputNanosPerMtok(rates[i][0]).setOutputNanosPerMtok(rates[i][1])
                        .setCacheReadNanosPerMtok(rates[i][0] / 10).setPriceVersion("bench/" + MODELS.get(i) + "@1").build())).get();
            }
        }
    }

    /** Pre-encodes events (the loader must not be the bottleneck) and sends them as fast as the broker takes them. */
    private static void load(LocalStack stack, String topic, Map<String, Object> registryConfig, int events, WorkShape shape,
            Instant now) throws Exception {
        AvroSerializer<UsageEvent> serializer = new AvroSerializer<>();
        serializer.configure(registryConfig, false);
        Map<String, Object> props = producerProps(stack);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            java.util.Random random = new java.util.Random(42);
            WorkShape.TaskPicker tasks = shape.picker(43);
            // A send that fails would leave the shape short of events, unnoticed until a run waits for
            // them: counted, and the load fails.
            AtomicLong failed = new AtomicLong();
            AtomicReference<Exception> firstFailure = new AtomicReference<>();
            for (int i = 0; i < events; i++) {
                int task = tasks.next();
                String taskId = "task-" + task;
                UsageEvent event = UsageEvent.newBuilder()
                        .setEventId("ev-" + i).setEventTime(now.plusMillis(i / 50))
                        .setTenantId(TENANTS.get(task % TENANTS.size())).setTaskId(taskId)
                        .setTaskClass(CLASSES.get(task % CLASSES.size())).setRoute(ROUTES.get(task % ROUTES.size()))
                        .setPromptVersion(ROUTES.get(task % ROUTES.size()) + "@v" + (task % 3))
                        .setProvider("bench").setModel(MODELS.get(random.nextInt(MODELS.size())))
                        .setInputTokens(500 + random.nextInt(3000)).setOutputTokens(50 + random.nextInt(800))
                        .setCacheReadTokens(random.nextInt(4) == 0 ? 2048 : 0).setAttempt(random.nextInt(20) == 0 ? 2 : 1)
                        .setStatus(random.nextInt(50) == 0 ? CallStatus.ERROR : CallStatus.OK)
                        .build();
                producer.send(new ProducerRecord<>(topic, taskId.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        serializer.serialize(topic, event)), (metadata, exception) -> {
                            if (exception != null) {
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, exception);
                            }
                        });
            }
            producer.flush();
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " of " + events + " events of shape " + shape.label()
                        + " were not loaded into " + topic, firstFailure.get());
            }
        }
    }

    /** The loaders' producer (this benchmark's and the ledger sink's): batched, LZ4, as metering produces. */
    public static Map<String, Object> producerProps(LocalStack stack) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // One request in flight: the loaders write to topics created a moment before, and a first batch
        // refused while the partition's leader was not yet ready, retried behind a later batch that was
        // taken, is refused forever as out of sequence (the broker's log: "0 (incoming seq. number), 7
        // (current end sequence number)", repeated until the batch expired after 120 s). Seen in four of
        // seven runs on 2026-12-07; in order, a retry always comes before the batches behind it.
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return props;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
