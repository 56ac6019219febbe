package dev.costmeter.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.AlertStatus;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.local.demo.DemoView;
import dev.costmeter.local.demo.DemoWorkload;
import dev.costmeter.schemas.control.VerifyKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole local stack end to end, as {@code ./costmeter up --demo} runs it: every component
 * starts healthy, the demo traffic flows, the looping agent is blocked and the capped tenant is
 * alerted within a minute, the ledger reaches PostgreSQL through Connect, pages reach the on-call
 * inbox, and after stopping nothing of the stack is left running.
 */
class FullStackDemoIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldBlockTheLoopingAgentAlertTheCappedTenantAndLedgerIntoPostgres() throws Exception {
        StackConfig config = StackConfig.defaults(dataDir).withPorts(LocalStackIT.freePorts()).withGatewayPort(LocalStackIT.freePort());
        List<Component> children;
        try (LocalStack stack = LocalStack.start(config)) {
            children = stack.components();
            assertThat(children).extracting(Component::name).containsExactly("kafka", "schema-registry", "postgresql",
                    "metering-stream", "alerting-stream", "ingest-gateway", "kafka-connect");
            VerifyKeys keys = stack.controlKeys().verifyKeys();
            try (DemoWorkload demo = new DemoWorkload(stack.bootstrapServers(), stack.registryUrl(), keys).start();
                    DemoView view = new DemoView(stack.bootstrapServers(), stack.registryUrl(), stack.meteringUrl(), demo)) {
                PrintStream screen = new PrintStream(new ByteArrayOutputStream());
                Awaitility.await("the looping agent blocked and the capped tenant at 100%").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofSeconds(1)).until(() -> {
                            view.refresh(screen);
                            return demo.agentResult() != null && tenantBlocked(view.switches())
                                    && tenantLadder(view.alerts()).contains(100);
                        });

                assertThat(demo.agentResult().blockedBy()).as("the looping agent's refusal").isNotNull();
                assertThat(demo.agentResult().blockedBy().toString()).contains("task:" + demo.agentTaskId());
                assertThat(tenantLadder(view.alerts())).as("the tenant's warning ladder, in order").containsSubsequence(50, 70, 100);
                System.out.println(view.render());
            }
            Awaitility.await("ledger rows in PostgreSQL and pages in the on-call inbox").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> ledgerRows(config) > 0 && !stack.pages().isEmpty());
        }
        assertThat(children).allSatisfy(child -> assertThat(child.isAlive()).as(child.name() + " stopped").isFalse());
    }

    private static List<Integer> tenantLadder(List<Alert> alerts) {
        return alerts.stream().filter(a -> a.getScope().equals("tenant:initech") && a.getStatus() == AlertStatus.FIRING)
                .map(Alert::getThresholdPct).filter(java.util.Objects::nonNull).toList();
    }

    private static boolean tenantBlocked(Map<String, ControlCommand> switches) {
        ControlCommand tenant = switches.get("tenant:initech");
        return tenant != null && tenant.getAction() == SwitchAction.BLOCK;
    }

    private static long ledgerRows(StackConfig config) throws Exception {
        StackConfig.ExternalPostgres pg = config.postgres();
        try (Connection connection = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                ResultSet rows = connection.createStatement().executeQuery("select count(*) from costmeter.ledger")) {
            rows.next();
            return rows.getLong(1);
        } catch (java.sql.SQLException notYet) {
            return 0;
        }
    }
}
