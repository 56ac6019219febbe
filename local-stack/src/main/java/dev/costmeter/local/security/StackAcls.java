package dev.costmeter.local.security;

import dev.costmeter.schemas.topics.TopicNames;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the secure local stack: everything not listed is denied
 * ({@code allow.everyone.if.no.acl.found=false}). The same table as deploy/README.md's and the
 * Strimzi {@code KafkaUser} resources in deploy/k8s/users.yaml.
 *
 * <ul>
 *   <li>only alerting-stream and the operator write {@code llm.control.v1};</li>
 *   <li>only the operator writes {@code llm.prices.v1} and {@code llm.budgets.v1};</li>
 *   <li>services write usage and outcomes and read control;</li>
 *   <li>the Connect worker (ledger and alert sinks) reads the ledger, rollups, outcomes and alerts;</li>
 *   <li>each stream app owns its group, transactional ids and internal topics (prefixed with its
 *       {@code application.id}); the registry owns {@code _schemas}, Connect its
 *       {@code costmeter-connect*} topics and group, its sinks' {@code connect-*} groups and
 *       {@code costmeter.*-sink.dlq} dead-letter topics.</li>
 * </ul>
 */
public final class StackAcls {

    static final String SCHEMAS_TOPIC = "_schemas";
    static final String CONNECT_PREFIX = "costmeter-connect";
    static final String SINK_GROUP_PREFIX = "connect-costmeter-";
    static final String SINK_DLQ_PREFIX = "costmeter.";

    private StackAcls() {
    }

    /** Every binding, for stream apps with the application ids given. */
    public static List<AclBinding> bindings(TopicNames topics, String meteringAppId, String alertingAppId) {
        List<AclBinding> acls = new ArrayList<>();
        StackPrincipal metering = StackPrincipal.METERING;
        read(acls, metering, topics.usage(), topics.taskOutcomes(), topics.prices(), topics.priceCorrections());
        write(acls, metering, topics.ledger(), topics.rollups(), topics.usageDlq(), topics.ledgerCorrections());
        ownPrefix(acls, metering, meteringAppId);

        StackPrincipal alerting = StackPrincipal.ALERTING;
        read(acls, alerting, topics.usage(), topics.ledger(), topics.rollups(), topics.budgets(), topics.prices(), topics.control());
        write(acls, alerting, topics.alerts(), topics.control(), topics.usageDlq());
        ownPrefix(acls, alerting, alertingAppId);

        StackPrincipal operator = StackPrincipal.OPERATOR;
        write(acls, operator, topics.prices(), topics.budgets(), topics.control(), topics.priceCorrections());
        read(acls, operator, topics.prices(), topics.budgets(), topics.control(), topics.alerts(), topics.ledger(), topics.rollups(),
                topics.ledgerCorrections());
        // costctl status: every group's committed offsets and every topic's end offsets; reading nothing more.
        acls.add(allow(operator, ResourceType.TOPIC, "*", PatternType.LITERAL, AclOperation.DESCRIBE));
        acls.add(allow(operator, ResourceType.GROUP, "*", PatternType.LITERAL, AclOperation.DESCRIBE));

        StackPrincipal service = StackPrincipal.SERVICE;
        write(acls, service, topics.usage(), topics.taskOutcomes());
        read(acls, service, topics.control());

        StackPrincipal registry = StackPrincipal.REGISTRY;
        acls.add(allow(registry, ResourceType.TOPIC, SCHEMAS_TOPIC, PatternType.LITERAL, AclOperation.ALL));

        StackPrincipal connect = StackPrincipal.CONNECT;
        read(acls, connect, topics.ledger(), topics.rollups(), topics.taskOutcomes(), topics.alerts(), topics.ledgerCorrections());
        acls.add(allow(connect, ResourceType.TOPIC, CONNECT_PREFIX, PatternType.PREFIXED, AclOperation.ALL));
        acls.add(allow(connect, ResourceType.GROUP, CONNECT_PREFIX, PatternType.PREFIXED, AclOperation.ALL));
        acls.add(allow(connect, ResourceType.GROUP, SINK_GROUP_PREFIX, PatternType.PREFIXED, AclOperation.READ));
        for (AclOperation op : List.of(AclOperation.CREATE, AclOperation.WRITE, AclOperation.DESCRIBE)) {
            acls.add(allow(connect, ResourceType.TOPIC, SINK_DLQ_PREFIX, PatternType.PREFIXED, op));
        }
        return acls;
    }

    private static void read(List<AclBinding> acls, StackPrincipal who, String... topics) {
        for (String topic : topics) {
            acls.add(allow(who, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
        }
    }

    private static void write(List<AclBinding> acls, StackPrincipal who, String... topics) {
        for (String topic : topics) {
            acls.add(allow(who, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
        }
    }

    /** A stream app's group, transactional ids and internal (changelog, repartition) topics. */
    private static void ownPrefix(List<AclBinding> acls, StackPrincipal app, String applicationId) {
        for (ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
            acls.add(allow(app, type, applicationId, PatternType.PREFIXED, AclOperation.ALL));
        }
    }

    private static AclBinding allow(StackPrincipal who, ResourceType type, String name, PatternType pattern, AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(who.principal(), "*", op, AclPermissionType.ALLOW));
    }
}
