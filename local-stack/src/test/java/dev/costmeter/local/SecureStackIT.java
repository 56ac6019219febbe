package dev.costmeter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.client.killswitch.Decision;
import dev.costmeter.client.killswitch.KillSwitchClient;
import dev.costmeter.client.killswitch.StartupPolicy;
import dev.costmeter.contracts.AlertStatus;
import dev.costmeter.local.demo.DemoView;
import dev.costmeter.local.demo.DemoWorkload;
import dev.costmeter.local.security.StackPrincipal;
import dev.costmeter.local.security.StackSecurity;
import dev.costmeter.schemas.topics.TopicNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole local stack with {@code --secure}, as {@code ./costmeter up --secure --demo} runs it:
 * Kafka on SASL_SSL only, SCRAM users per component, the stack's own CA, deny-by-default ACLs.
 * One stack for every test here (it takes a few minutes to start on a loaded machine).
 */
class SecureStackIT {

    @TempDir
    static Path dataDir;

    private static LocalStack stack;
    private static final TopicNames TOPICS = TopicNames.defaults();

    @BeforeAll
    static void startSecureStack() throws Exception {
        stack = LocalStack.start(StackConfig.defaults(dataDir).withPorts(LocalStackIT.freePorts()).withGatewayPort(LocalStackIT.freePort()).withSecurity());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldKeepCredentialsInOwnerOnlyFilesAndOutOfEveryLog() throws Exception {
        StackSecurity security = stack.security().orElseThrow();
        assertThat(Files.getPosixFilePermissions(security.directory()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
        List<Path> secretFiles = new ArrayList<>();
        try (Stream<Path> files = Files.list(security.directory())) {
            files.filter(f -> !f.getFileName().toString().equals("ca.pem") && !f.getFileName().toString().equals("formatted"))
                    .forEach(secretFiles::add);
        }
        secretFiles.add(dataDir.resolve("config").resolve("server.properties"));
        secretFiles.add(dataDir.resolve("config").resolve("connect-worker.properties"));
        for (Path file : secretFiles) {
            assertThat(Files.getPosixFilePermissions(file)).as(file.toString())
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
        List<String> passwords = new ArrayList<>();
        for (StackPrincipal principal : StackPrincipal.values()) {
            String jaas = security.clientProperties(principal).get("sasl.jaas.config");
            passwords.add(jaas.substring(jaas.indexOf("password=\"") + 10, jaas.lastIndexOf('"')));
        }
        try (Stream<Path> logs = Files.list(stack.config().logDir())) {
            for (Path log : logs.toList()) {
                String text = Files.readString(log, StandardCharsets.ISO_8859_1);
                for (String password : passwords) {
                    assertThat(text).as("no password in " + log.getFileName()).doesNotContain(password);
                }
            }
        }
    }

    @Test
    void shouldRefuseAClientWithoutCredentialsOrWithAWrongPassword() {
        Map<String, Object> plaintext = new HashMap<>(adminBase());
        try (Admin admin = Admin.create(plaintext)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .as("a plaintext client gets nothing from a SASL_SSL listener").isInstanceOf(Exception.class);
        }
        Map<String, Object> wrongPassword = new HashMap<>(adminBase());
        wrongPassword.putAll(stack.clientSecurity(StackPrincipal.SERVICE));
        wrongPassword.put("sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"costmeter-service\" password=\"guess\";");
        try (Admin admin = Admin.create(wrongPassword)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void shouldDenyAServiceWritingControlPricesOrBudgetsButLetItReportUsage() throws Exception {
        for (String topic : List.of(TOPICS.control(), TOPICS.prices(), TOPICS.budgets())) {
            assertThat(sendFails(StackPrincipal.SERVICE, topic)).as("service writing " + topic)
                    .isInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(sendFails(StackPrincipal.METERING, TOPICS.control())).as("metering-stream writing control")
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(sendFails(StackPrincipal.ALERTING, TOPICS.prices())).as("alerting-stream writing prices")
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(sendFails(StackPrincipal.SERVICE, TOPICS.usage())).as("service writing usage").isNull();
    }

    @Test
    void shouldRunTheWholeLoopAndLetTheOperatorUseCostctl() throws Exception {
        var keys = stack.controlKeys().verifyKeys();
        try (DemoWorkload demo = new DemoWorkload(stack.bootstrapServers(), stack.registryUrl(), keys,
                        stack.clientSecurity(StackPrincipal.SERVICE)).start();
                DemoView view = new DemoView(stack.bootstrapServers(), stack.registryUrl(), stack.meteringUrl(), demo,
                        stack.clientSecurity(StackPrincipal.OPERATOR))) {
            PrintStream screen = new PrintStream(new ByteArrayOutputStream());
            Awaitility.await("the looping agent blocked by a signed BLOCK, and an alert").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        view.refresh(screen);
                        return demo.agentResult() != null && demo.agentResult().blockedBy() != null
                                && view.alerts().stream().anyMatch(a -> a.getStatus() == AlertStatus.FIRING);
                    });
            assertThat(demo.agentResult().blockedBy().toString()).contains("task:" + demo.agentTaskId());
        }
        Awaitility.await("ledger rows in PostgreSQL through the Connect sink").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1)).until(() -> ledgerRows() > 0);

        // The operator's client file plus the kill-switch verify keys: everything costctl needs, in one --config file.
        Path operatorConfig = dataDir.resolve("operator-costctl.properties");
        Files.writeString(operatorConfig, Files.readString(stack.security().orElseThrow().clientFile(StackPrincipal.OPERATOR))
                + "control.verify.keys=file:" + stack.controlKeys().verifyKeysFile() + "\n", StandardCharsets.UTF_8);
        String signing = "file:" + stack.controlKeys().signingKeyFile();
        CostctlResult status = costctl(operatorConfig, "status", "--alerting-url", stack.alertingUrls().get(0),
                "--connect-url", stack.connectUrl());
        assertThat(status.exit()).as(status.toString()).isZero();

        try (KillSwitchClient switches = KillSwitchClient.builder().bootstrapServers(stack.bootstrapServers())
                .registryUrl(stack.registryUrl()).properties(stack.clientSecurity(StackPrincipal.SERVICE)).verifyKeys(keys)
                .startupPolicy(StartupPolicy.FAIL_OPEN).build()) {
            switches.start();
            CostctlResult block = costctl(operatorConfig, "switches", "block", "route:secure-it", "--reason", "secure IT",
                    "--operator", "it", "--signing-key", signing);
            assertThat(block.exit()).as(block.toString()).isZero();
            Awaitility.await("the service obeys the operator's BLOCK").atMost(Duration.ofSeconds(30))
                    .until(() -> switches.check("acme", "secure-it", "p@v1", "t-1", "u-1") instanceof Decision.Block);
            CostctlResult allow = costctl(operatorConfig, "switches", "allow", "route:secure-it", "--reason", "secure IT done",
                    "--operator", "it", "--signing-key", signing);
            assertThat(allow.exit()).as(allow.toString()).isZero();
            Awaitility.await("the service obeys the operator's ALLOW").atMost(Duration.ofSeconds(30))
                    .until(() -> switches.check("acme", "secure-it", "p@v1", "t-1", "u-1").allowed());
        }

        CostctlResult prices = costctl(operatorConfig, "prices", "apply", catalog("tiny").toString());
        assertThat(prices.exit()).as(prices.toString()).isZero();
        CostctlResult denied = costctl(stack.security().orElseThrow().clientFile(StackPrincipal.SERVICE),
                "prices", "apply", catalog("other").toString());
        assertThat(denied.exit()).as("costctl as a service cannot publish prices: " + denied).isNotZero();
    }

    private static Path catalog(String model) throws java.io.IOException {
        Path catalog = dataDir.resolve("secure-it-" + model + ".yaml");
        Files.writeString(catalog, String.join("\n", "as_of: 2026-11-27", "models:", "  - provider: secure-it",
                "    model: " + model, "    input_per_mtok: \"0.10\"", "    output_per_mtok: \"0.40\"",
                "    source: \"secure IT\"", ""), StandardCharsets.UTF_8);
        return catalog;
    }

    private static Map<String, Object> adminBase() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
    }

    /** The exception a send as {@code principal} to {@code topic} fails with, or null when it is acknowledged. */
    private static Throwable sendFails(StackPrincipal principal, String topic) throws InterruptedException {
        Map<String, Object> props = new HashMap<>(stack.clientSecurity(principal));
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "secure-it", new byte[] {0})).get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException | org.apache.kafka.common.KafkaException e) {
            return e instanceof org.apache.kafka.common.KafkaException && e.getCause() != null ? e.getCause() : e;
        }
    }

    private static long ledgerRows() {
        StackConfig.ExternalPostgres pg = stack.postgres();
        try (Connection connection = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                ResultSet rows = connection.createStatement().executeQuery("select count(*) from costmeter.ledger")) {
            rows.next();
            return rows.getLong(1);
        } catch (java.sql.SQLException notYet) {
            return 0;
        }
    }

    private record CostctlResult(int exit, String out, String err) {
    }

    private static CostctlResult costctl(Path config, String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString(), "--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry-url", stack.registryUrl(), "--metering-url", stack.meteringUrl(), "--timeout", "30"));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = dev.costmeter.cli.Costctl.commandLine(new dev.costmeter.cli.Costctl());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(all.toArray(String[]::new));
        return new CostctlResult(exit, out.toString(), err.toString());
    }
}
