package dev.costmeter.faults.check;

import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.faults.oracle.Expectations;
import dev.costmeter.faults.oracle.Keys;
import dev.costmeter.faults.oracle.LedgerRow;
import dev.costmeter.faults.oracle.Oracle;
import dev.costmeter.faults.oracle.SpendTotals;
import dev.costmeter.faults.oracle.Values;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every store back once the run has settled and compares it with the oracle: the ledger topic
 * (read_committed), the PostgreSQL ledger and its views, rollups, task totals and the task_class table
 * through metering-stream's query API, the DLQ, alerts and switches.
 */
public final class Checker {

    private static final Logger log = LoggerFactory.getLogger(Checker.class);
    private static final int DEDUP_IDS_PER_TASK = 64;
    private static final int QUERY_THREADS = 4;

    private final Sources sources;
    private final TopicReader topics;

    public Checker(Sources sources) {
        this.sources = sources;
        this.topics = new TopicReader(sources.bootstrapServers());
    }

    public CheckReport check(Expectations expected) throws InterruptedException, SQLException {
        List<EventStoreResult> eventStores = new ArrayList<>();
        List<AggregateResult> aggregates = new ArrayList<>();
        eventStores.add(ledgerTopic(expected));
        DeadLetterResult deadLetters = DeadLetterCheck.compare(expected.deadLetters(), deadLetters());
        if (!sources.meteringUrls().isEmpty()) {
            queryApi(expected, aggregates);
        }
        if (sources.postgres().isPresent()) {
            postgres(expected, sources.postgres().get(), eventStores, aggregates);
        }
        AlertResult alerts = sources.alerts() ? alerts(expected) : null;
        return new CheckReport(eventStores, aggregates, deadLetters, alerts);
    }

    private EventStoreResult ledgerTopic(Expectations expected) {
        EventStoreCheck check = new EventStoreCheck("ledger topic (read_committed)", expected);
        try (AvroDeserializer<PricedUsage> reader = new AvroDeserializer<>(PricedUsage.class)) {
            reader.configure(Map.of(RegistryClientConfig.URL, sources.registryUrl()), false);
            long read = topics.readAll(sources.topics().ledger(), record -> {
                try {
                    check.accept(LedgerRow.of(reader.deserialize(record.topic(), record.value())));
                } catch (RuntimeException e) {
                    check.accept(undecodable(record));
                }
            });
            log.info("Read {} ledger records", read);
        }
        return check.result();
    }

    /** A ledger record that does not decode counts as a row for no call. */
    private static LedgerRow undecodable(ConsumerRecord<byte[], byte[]> record) {
        return new LedgerRow("undecodable@" + record.partition() + "/" + record.offset(), null, null, null, null, null, null,
                null, null, null, 0, 0, 0, 0, 0, false, 0, null, null, null, false, 0, 0, 0, 0, 0, 0, false, null, false, null);
    }

    private List<DeadLetter> deadLetters() {
        List<DeadLetter> letters = new ArrayList<>();
        topics.readAll(sources.topics().usageDlq(), record -> letters.add(new DeadLetter(
                record.value() == null ? "null" : Oracle.sha256(record.value()),
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                header(record, "costmeter.dlq.reason"), header(record, "costmeter.dlq.source.topic"),
                header(record, "costmeter.dlq.app"))));
        return letters;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void queryApi(Expectations expected, List<AggregateResult> aggregates) throws InterruptedException {
        QueryApi api = new QueryApi(sources.meteringUrls());
        Map<Keys.Rollup, SpendTotals> rollups = new HashMap<>();
        for (Keys.Rollup key : expected.rollups().keySet()) {
            rollups.put(key, api.spend(key.dimension().toLowerCase(Locale.ROOT), key.scope(), key.day()));
        }
        aggregates.add(AggregateCheck.compare("query API: day rollups", expected.rollups(), rollups, false));

        Map<String, Values.Task> wanted = sample(expected.tasks());
        aggregates.add(AggregateCheck.compare("query API: task totals", wanted, tasks(api, wanted.keySet()), false));

        Map<Keys.TaskClass, Values.TaskClassStats> classes = new HashMap<>();
        Set<String> asked = new LinkedHashSet<>();
        for (Keys.TaskClass key : expected.taskClasses().keySet()) {
            if (asked.add(key.taskClass() + "|" + key.day())) {
                api.taskClassModels(key.taskClass(), key.day())
                        .forEach((model, stats) -> classes.put(new Keys.TaskClass(key.taskClass(), key.day(), model), stats));
            }
        }
        aggregates.add(AggregateCheck.compare("query API: task_class table", expected.taskClasses(), classes, true));
    }

    /** Asks for each task on a few threads: one request at a time would take minutes for thousands of tasks. */
    private static Map<String, Values.Task> tasks(QueryApi api, Set<String> taskIds) throws InterruptedException {
        Map<String, Values.Task> tasks = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(QUERY_THREADS);
        try {
            List<Future<?>> asked = new ArrayList<>();
            for (String taskId : taskIds) {
                asked.add(pool.submit(() -> {
                    Values.Task task = api.task(taskId);
                    if (task != null) {
                        tasks.put(taskId, task);
                    }
                    return null;
                }));
            }
            for (Future<?> answer : asked) {
                try {
                    answer.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("asking metering-stream for a task failed", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return tasks;
    }

    /** All tasks when few; else every task past the ids kept with a task, and an even sample of the rest. */
    private Map<String, Values.Task> sample(Map<String, Values.Task> tasks) {
        if (tasks.size() <= sources.taskSample()) {
            return tasks;
        }
        Map<String, Values.Task> sample = new TreeMap<>();
        int stride = (tasks.size() + sources.taskSample() - 1) / sources.taskSample();
        int i = 0;
        for (Map.Entry<String, Values.Task> task : tasks.entrySet()) {
            if (task.getValue().calls() > DEDUP_IDS_PER_TASK || i++ % stride == 0) {
                sample.put(task.getKey(), task.getValue());
            }
        }
        return sample;
    }

    private void postgres(Expectations expected, PostgresLedger pg, List<EventStoreResult> eventStores,
            List<AggregateResult> aggregates) throws SQLException {
        EventStoreCheck ledger = new EventStoreCheck("PostgreSQL ledger table", expected);
        pg.ledger(ledger::accept);
        eventStores.add(ledger.result());
        aggregates.add(AggregateCheck.compare("PostgreSQL rollups (DAY)", expected.rollups(), pg.dayRollups(), true));
        aggregates.add(AggregateCheck.compare("PostgreSQL daily_spend", expected.dailySpend(), pg.dailySpend(), true));
        aggregates.add(AggregateCheck.compare("PostgreSQL task_spend", expected.taskSpend(), pg.taskSpend(), true));
        aggregates.add(AggregateCheck.compare("PostgreSQL cost_per_successful_task", expected.successCost(),
                pg.costPerSuccessfulTask(), true));
    }

    private AlertResult alerts(Expectations expected) {
        List<AlertSeen> alerts = new ArrayList<>();
        try (AvroDeserializer<Alert> reader = new AvroDeserializer<>(Alert.class)) {
            reader.configure(Map.of(RegistryClientConfig.URL, sources.registryUrl()), false);
            topics.readAll(sources.topics().alerts(), record -> {
                Alert alert = reader.deserialize(record.topic(), record.value());
                alerts.add(new AlertSeen(alert.getDedupKey(), alert.getRule(), alert.getScope(), alert.getStatus().name()));
            });
        }
        List<SwitchSeen> switches = new ArrayList<>();
        try (AvroDeserializer<ControlCommand> reader = new AvroDeserializer<>(ControlCommand.class)) {
            reader.configure(Map.of(RegistryClientConfig.URL, sources.registryUrl()), false);
            topics.readAll(sources.topics().control(), record -> {
                if (record.value() != null) {
                    ControlCommand command = reader.deserialize(record.topic(), record.value());
                    switches.add(new SwitchSeen(command.getScope(), command.getAction().name(), command.getIssuer()));
                }
            });
        }
        return AlertCheck.compare(expected.alerts(), expected.blockedScopes(), alerts, switches);
    }

    /** The UTC days the expectations span, for reports. */
    public static Set<LocalDate> days(Expectations expected) {
        Set<LocalDate> days = new TreeSet<>();
        expected.rollups().keySet().forEach(k -> days.add(k.day()));
        return days;
    }
}
