package dev.costmeter.local.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.schemas.topics.TopicNames;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackSecurityTest {

    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final List<AclBinding> ACLS = StackAcls.bindings(TOPICS, "costmeter-metering", "costmeter-alerting");

    @TempDir
    Path dataDir;

    @Test
    void shouldLetOnlyAlertingAndTheOperatorWriteControl() {
        assertThat(writers(TOPICS.control())).containsExactlyInAnyOrder("User:costmeter-alerting", "User:costmeter-operator");
    }

    @Test
    void shouldLetOnlyTheOperatorWritePricesAndBudgets() {
        assertThat(writers(TOPICS.prices())).containsExactly("User:costmeter-operator");
        assertThat(writers(TOPICS.budgets())).containsExactly("User:costmeter-operator");
    }

    @Test
    void shouldLetServicesWriteUsageAndOutcomesAndReadControlOnly() {
        Set<String> service = ACLS.stream().filter(a -> a.entry().principal().equals("User:costmeter-service"))
                .map(a -> a.entry().operation() + " " + a.pattern().resourceType() + " " + a.pattern().name())
                .collect(Collectors.toSet());

        assertThat(service).containsExactlyInAnyOrder("WRITE TOPIC llm.usage.v1", "WRITE TOPIC llm.task-outcomes.v1",
                "READ TOPIC llm.control.v1");
    }

    @Test
    void shouldLetTheLedgerSinkReadTheLedgerAndNoWildcardGrantWriteOrRead() {
        assertThat(ACLS).anyMatch(a -> a.entry().principal().equals("User:costmeter-connect")
                && a.pattern().name().equals(TOPICS.ledger()) && a.entry().operation() == AclOperation.READ);
        assertThat(ACLS).filteredOn(a -> a.pattern().name().equals("*"))
                .allMatch(a -> a.entry().operation() == AclOperation.DESCRIBE);
        assertThat(ACLS).noneMatch(a -> a.entry().principal().equals("User:broker"));
    }

    @Test
    void shouldGiveEachStreamAppOnlyItsOwnPrefixedGroupsTransactionsAndInternalTopics() {
        assertThat(ACLS).filteredOn(a -> a.pattern().patternType() == PatternType.PREFIXED
                        && a.pattern().resourceType() == ResourceType.TRANSACTIONAL_ID)
                .extracting(a -> a.entry().principal() + "=" + a.pattern().name())
                .containsExactlyInAnyOrder("User:costmeter-metering=costmeter-metering", "User:costmeter-alerting=costmeter-alerting");
    }

    @Test
    void shouldMakeOwnerOnlyCredentialsAndACertificateValidForTheHost() throws Exception {
        StackSecurity security = StackSecurity.loadOrCreate(dataDir, List.of("kafka"), "localhost");

        assertThat(Files.getPosixFilePermissions(security.directory())).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
        for (StackPrincipal principal : StackPrincipal.values()) {
            assertThat(Files.getPosixFilePermissions(security.clientFile(principal)))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(security.clientProperties(principal)).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        }
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(security.caCertificate())) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        String storePassword = security.brokerProperties("kafka").stream().filter(l -> l.startsWith("ssl.keystore.password="))
                .findFirst().orElseThrow().substring("ssl.keystore.password=".length());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(security.keyStore("kafka"))) {
            store.load(in, storePassword.toCharArray());
        }
        X509Certificate broker = (X509Certificate) store.getCertificate("kafka");
        broker.verify(ca.getPublicKey());
        assertThat(broker.getSubjectAlternativeNames()).extracting(n -> n.get(1).toString()).contains("localhost", "127.0.0.1");
    }

    @Test
    void shouldKeepThePasswordsOnTheNextStart() {
        StackSecurity first = StackSecurity.loadOrCreate(dataDir, List.of("kafka"), "localhost");
        StackSecurity second = StackSecurity.loadOrCreate(dataDir, List.of("kafka"), "localhost");

        assertThat(second.clientProperties(StackPrincipal.SERVICE)).isEqualTo(first.clientProperties(StackPrincipal.SERVICE));
        assertThat(second.toString()).doesNotContain(passwordOf(first));
    }

    private static String passwordOf(StackSecurity security) {
        String jaas = security.clientProperties(StackPrincipal.SERVICE).get("sasl.jaas.config");
        return jaas.substring(jaas.indexOf("password=\"") + 10, jaas.lastIndexOf('"'));
    }

    private static Set<String> writers(String topic) {
        return ACLS.stream().filter(a -> a.pattern().resourceType() == ResourceType.TOPIC)
                .filter(a -> a.entry().operation() == AclOperation.WRITE || a.entry().operation() == AclOperation.ALL)
                .filter(a -> a.pattern().patternType() == PatternType.LITERAL ? a.pattern().name().equals(topic)
                        : topic.startsWith(a.pattern().name()))
                .map(a -> a.entry().principal()).collect(Collectors.toSet());
    }
}
