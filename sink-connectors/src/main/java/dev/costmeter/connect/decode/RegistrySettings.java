package dev.costmeter.connect.decode;

import dev.costmeter.schemas.registry.RegistryClientConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.types.Password;

/**
 * The schema registry keys both connectors accept, named as Confluent's clients name them (see
 * {@link RegistryClientConfig}), so an operator copies them from any producer's configuration.
 * Credentials and key-store passwords are {@link Type#PASSWORD}: Connect redacts them in its logs
 * and REST answers.
 */
public final class RegistrySettings {

    public static final String GROUP = "Schema registry";

    private RegistrySettings() {
    }

    /** Adds the registry keys to {@code def} under the {@value #GROUP} group. */
    public static ConfigDef addTo(ConfigDef def) {
        int order = 0;
        return def
                .define(RegistryClientConfig.URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        Importance.HIGH, "Base URL(s) of the schema registry the Avro records were written with, comma-separated.",
                        GROUP, ++order, Width.LONG, "Schema registry URL")
                .define(RegistryClientConfig.BASIC_AUTH_SOURCE, Type.STRING, "",
                        ConfigDef.ValidString.in("", "USER_INFO", "URL"), Importance.LOW,
                        "Where the registry's basic-auth credentials come from: USER_INFO (basic.auth.user.info) or URL; empty for none.",
                        GROUP, ++order, Width.SHORT, "Registry basic-auth source")
                .define(RegistryClientConfig.BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.LOW,
                        "user:password for the registry when basic.auth.credentials.source=USER_INFO.",
                        GROUP, ++order, Width.MEDIUM, "Registry user info")
                .define(RegistryClientConfig.SSL_TRUSTSTORE_LOCATION, Type.STRING, null, Importance.LOW,
                        "Trust store for the registry's TLS certificate.", GROUP, ++order, Width.LONG, "Registry trust store")
                .define(RegistryClientConfig.SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                        "Password of the registry trust store.", GROUP, ++order, Width.MEDIUM, "Registry trust store password")
                .define(RegistryClientConfig.SSL_TRUSTSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW,
                        "Type of the registry trust store: PKCS12 or JKS.", GROUP, ++order, Width.SHORT, "Registry trust store type")
                .define(RegistryClientConfig.SSL_KEYSTORE_LOCATION, Type.STRING, null, Importance.LOW,
                        "Key store for TLS client authentication to the registry.", GROUP, ++order, Width.LONG, "Registry key store")
                .define(RegistryClientConfig.SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                        "Password of the registry key store.", GROUP, ++order, Width.MEDIUM, "Registry key store password")
                .define(RegistryClientConfig.SSL_KEYSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW,
                        "Type of the registry key store: PKCS12 or JKS.", GROUP, ++order, Width.SHORT, "Registry key store type")
                .define(RegistryClientConfig.SSL_KEY_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                        "Password of the private key in the registry key store.", GROUP, ++order, Width.MEDIUM, "Registry key password")
                .define(RegistryClientConfig.REQUEST_TIMEOUT_MS, Type.LONG, 10_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                        "Timeout of one request to the registry, in milliseconds.", GROUP, ++order, Width.SHORT, "Registry request timeout");
    }

    /**
     * The registry keys of a parsed config as the registry client reads them, with passwords
     * revealed; the map must never be logged.
     */
    public static Map<String, Object> clientConfigs(AbstractConfig config) {
        Map<String, Object> out = new HashMap<>();
        for (String key : addTo(new ConfigDef()).names()) {
            Object value = config.values().get(key);
            if (value instanceof Password password) {
                value = password.value();
            }
            if (value != null && !value.toString().isEmpty()) {
                out.put(key, value.toString());
            }
        }
        return out;
    }
}
