package dev.costmeter.local.security;

/**
 * The SCRAM users of the secure local stack, one per component. Each is the Kafka principal
 * {@code User:<name>} that its ACLs ({@link StackAcls}) name; the Strimzi {@code KafkaUser}
 * resources of deploy/k8s/users.yaml have the same names and ACLs.
 */
public enum StackPrincipal {
    /** The brokers (inter-broker and controller traffic) and the stack's own admin client: the only super user. */
    BROKER("broker"),
    /** An operator, and the stack's costctl runs: the only writer of prices and budgets; may write control. */
    OPERATOR("costmeter-operator"),
    METERING("costmeter-metering"),
    /** Issues kill switches: may write control. */
    ALERTING("costmeter-alerting"),
    REGISTRY("costmeter-registry"),
    /** The Connect worker and its sinks: reads the ledger, rollups, outcomes and alerts. */
    CONNECT("costmeter-connect"),
    /** Services reporting usage (the demo's too): may write usage and outcomes and read control, nothing else. */
    SERVICE("costmeter-service");

    private final String userName;

    StackPrincipal(String userName) {
        this.userName = userName;
    }

    /** The SCRAM user name. */
    public String userName() {
        return userName;
    }

    /** The Kafka principal, {@code User:<name>}. */
    public String principal() {
        return "User:" + userName;
    }
}
