package dev.costmeter.local.security;

import dev.costmeter.schemas.config.ConfigLayers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The secure local stack's Kafka security ({@code ./costmeter up --secure}), kept under
 * {@code <data dir>/security/} (a directory and files only their owner may read): a CA certificate
 * ({@code ca.pem}, the trust store of every client), a PKCS12 key store per broker, a SCRAM-SHA-512
 * password per {@link StackPrincipal} ({@code credentials.properties}), and per principal a client
 * properties file ({@code <user>.properties}: {@code security.protocol=SASL_SSL},
 * {@code sasl.mechanism}, {@code sasl.jaas.config}, the trust store) that the component reads as
 * its {@code COSTMETER_CONFIG_FILE} ({@code --config} for costctl). Made on the first secure
 * start; kept, like the data, for the next.
 */
public final class StackSecurity {

    public static final String MECHANISM = "SCRAM-SHA-512";
    private static final String STORE_PASSWORD_KEY = "keystore.password";

    private final Path dir;
    private final Map<StackPrincipal, String> passwords;
    private final String storePassword;

    private StackSecurity(Path dir, Map<StackPrincipal, String> passwords, String storePassword) {
        this.dir = dir;
        this.passwords = passwords;
        this.storePassword = storePassword;
    }

    /** The security material under {@code dataDir/security}, made when absent, for {@code brokerNames} on {@code host}. */
    public static StackSecurity loadOrCreate(Path dataDir, List<String> brokerNames, String host) {
        Path dir = dataDir.resolve("security");
        Path credentials = dir.resolve("credentials.properties");
        try {
            if (!Files.exists(credentials)) {
                create(dir, credentials, brokerNames, host);
            }
            Map<String, String> stored = ConfigLayers.readProperties(credentials);
            Map<StackPrincipal, String> passwords = new EnumMap<>(StackPrincipal.class);
            for (StackPrincipal principal : StackPrincipal.values()) {
                String password = stored.get(principal.userName());
                if (password == null) {
                    throw new IllegalStateException(credentials + " has no password for " + principal.userName()
                            + ": remove " + dir + " (and the Kafka data) and start again");
                }
                passwords.put(principal, password);
            }
            StackSecurity security = new StackSecurity(dir, passwords, stored.get(STORE_PASSWORD_KEY));
            for (String broker : brokerNames) {
                if (!Files.exists(security.keyStore(broker))) {
                    throw new IllegalStateException("No key store for " + broker + " at " + security.keyStore(broker)
                            + ": this data directory's security was made for another cluster");
                }
            }
            for (StackPrincipal principal : StackPrincipal.values()) {
                OwnerOnlyFiles.write(security.clientFile(principal), security.clientFileText(principal));
            }
            return security;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the secure stack's credentials under " + dir, e);
        }
    }

    private static void create(Path dir, Path credentials, List<String> brokerNames, String host) throws IOException {
        OwnerOnlyFiles.directory(dir);
        SecureRandom random = new SecureRandom();
        StringBuilder text = new StringBuilder("# SCRAM-SHA-512 passwords of the local stack's Kafka users, and its key stores' password.\n");
        for (StackPrincipal principal : StackPrincipal.values()) {
            text.append(principal.userName()).append('=').append(password(random)).append('\n');
        }
        String storePassword = password(random);
        text.append(STORE_PASSWORD_KEY).append('=').append(storePassword).append('\n');
        try {
            new LocalCertificates().create(dir.resolve("ca.pem"), brokerNames, broker -> dir.resolve(broker + ".p12"), host,
                    storePassword.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make the local stack's certificates: " + e.getMessage(), e);
        }
        // Written last: its presence says the rest is complete.
        OwnerOnlyFiles.write(credentials, text.toString());
    }

    /** Hex: nothing to quote in a JAAS line or a {@code --add-scram} argument. */
    private static String password(SecureRandom random) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public Path directory() {
        return dir;
    }

    /** The CA certificate every client trusts. */
    public Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    Path keyStore(String broker) {
        return dir.resolve(broker + ".p12");
    }

    /** The client properties file of {@code principal}. */
    public Path clientFile(StackPrincipal principal) {
        return dir.resolve(principal.userName() + ".properties");
    }

    /** The Kafka client settings of {@code principal}: SASL_SSL, SCRAM-SHA-512, its password, the stack's CA. */
    public Map<String, String> clientProperties(StackPrincipal principal) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("security.protocol", "SASL_SSL");
        props.put("sasl.mechanism", MECHANISM);
        props.put("sasl.jaas.config", scramJaas(principal));
        props.put("ssl.truststore.type", "PEM");
        props.put("ssl.truststore.location", caCertificate().toString());
        return props;
    }

    private String clientFileText(StackPrincipal principal) {
        StringBuilder text = new StringBuilder("# Kafka client settings of ").append(principal.principal())
                .append(" on the secure local stack (costmeter's COSTMETER_CONFIG_FILE / costctl --config).\n");
        clientProperties(principal).forEach((key, value) -> text.append(key).append('=')
                .append(value.replace("\\", "\\\\")).append('\n'));
        return text.toString();
    }

    private String scramJaas(StackPrincipal principal) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + principal.userName()
                + "\" password=\"" + passwords.get(principal) + "\";";
    }

    /** The {@code --add-scram} arguments of {@code kafka-storage format}: every user, made with the storage. */
    public List<String> formatArguments() {
        List<String> args = new ArrayList<>();
        for (StackPrincipal principal : StackPrincipal.values()) {
            args.add("--add-scram");
            args.add(MECHANISM + "=[name=" + principal.userName() + ",password=" + passwords.get(principal) + "]");
        }
        return args;
    }

    /**
     * A broker's security settings: clients on SASL_SSL with SCRAM-SHA-512, the controller listener
     * on SASL_PLAINTEXT with PLAIN bound to the stack's host (SCRAM cannot authenticate controller
     * traffic in KRaft: its credentials live in the metadata the controllers serve), the
     * StandardAuthorizer denying what no ACL allows, and the broker its only super user.
     */
    public List<String> brokerProperties(String broker) {
        String brokerPassword = passwords.get(StackPrincipal.BROKER);
        String user = StackPrincipal.BROKER.userName();
        return List.of(
                "listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_SSL:SASL_SSL",
                "inter.broker.listener.name=SASL_SSL",
                "sasl.enabled.mechanisms=" + MECHANISM,
                "sasl.mechanism.inter.broker.protocol=" + MECHANISM,
                "sasl.mechanism.controller.protocol=PLAIN",
                "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
                "listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"" + user + "\" password=\"" + brokerPassword + "\" user_" + user + "=\"" + brokerPassword + "\";",
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=" + scramJaas(StackPrincipal.BROKER),
                "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + keyStore(broker),
                "ssl.keystore.password=" + storePassword,
                "ssl.key.password=" + storePassword,
                "ssl.truststore.type=PEM",
                "ssl.truststore.location=" + caCertificate(),
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "allow.everyone.if.no.acl.found=false",
                "super.users=" + StackPrincipal.BROKER.principal());
    }

    /**
     * The Connect worker's settings: the worker's own clients, and those it makes for the sinks
     * ({@code consumer.}), their dead-letter queues ({@code producer.}, {@code admin.}), all as
     * {@code kafka-connect}.
     */
    public String connectWorkerProperties() {
        StringBuilder lines = new StringBuilder("# --secure: SASL_SSL as User:kafka-connect (the worker and its sinks' clients)\n");
        for (String prefix : List.of("", "producer.", "consumer.", "admin.")) {
            clientProperties(StackPrincipal.CONNECT).forEach((key, value) -> lines.append(prefix).append(key).append('=')
                    .append(value.replace("\\", "\\\\")).append('\n'));
        }
        return lines.toString();
    }

    @Override
    public String toString() {
        return "StackSecurity[" + dir + "]";
    }
}
