package dev.costmeter.gateway.otlp;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;

/**
 * Which span or resource attribute gives each of costmeter's ids, and how providers are named.
 * Each id is looked up in the span's attributes first, then the resource's, trying the attributes
 * of its list in order; the first present and non-blank wins.
 *
 * @param tenant         default {@code costmeter.tenant_id, tenant.id}; absent: the caller's one tenant
 * @param task           default {@code costmeter.task_id, gen_ai.conversation.id, session.id}; absent: the trace id
 * @param taskClass      default {@code costmeter.task_class, gen_ai.agent.name, gen_ai.operation.name}; absent: {@code otel}
 * @param route          default {@code costmeter.route, service.name}
 * @param promptVersion  default {@code costmeter.prompt_version}
 * @param endUser        default {@code costmeter.end_user_id, enduser.id, user.id}
 * @param providerAliases the convention's provider names to costmeter's (the price catalog's), e.g.
 *                       {@code gcp.gemini -> google}
 * @param inputExcludesCache {@code <attribute set>:<provider>} pairs whose instrumentation reports
 *                       input without the cache tokens (so nothing is subtracted)
 */
public record SpanMappingConfig(List<String> tenant, List<String> task, List<String> taskClass, List<String> route,
        List<String> promptVersion, List<String> endUser, Map<String, String> providerAliases, Set<String> inputExcludesCache) {

    public static final String PREFIX = "otlp.";

    /** The defaults: the GenAI and OpenInference spellings, then costmeter's own. */
    public static Map<String, String> defaults() {
        return Map.of(
                "otlp.attribute.tenant", "costmeter.tenant_id,tenant.id",
                "otlp.attribute.task", "costmeter.task_id,gen_ai.conversation.id,session.id",
                "otlp.attribute.task-class", "costmeter.task_class,gen_ai.agent.name,gen_ai.operation.name",
                "otlp.attribute.route", "costmeter.route,service.name",
                "otlp.attribute.prompt-version", "costmeter.prompt_version",
                "otlp.attribute.end-user", "costmeter.end_user_id,enduser.id,user.id",
                // GenAI's well-known provider names against the catalog's.
                "otlp.provider.aliases", "gcp.gemini=google,gcp.vertex_ai=google,gcp.gen_ai=google,aws.bedrock=bedrock,"
                        + "azure.ai.openai=openai,x_ai=xai",
                "otlp.input.excludes-cache", "");
    }

    /**
     * Reads the settings, each falling back to its default.
     *
     * @throws ConfigException naming the key at fault
     */
    public static SpanMappingConfig from(Function<String, String> settings) {
        Map<String, String> defaults = defaults();
        Function<String, String> get = key -> {
            String value = settings.apply(key);
            return value == null ? defaults.get(key) : value;
        };
        Map<String, String> aliases = new HashMap<>();
        for (String pair : list(get.apply("otlp.provider.aliases"))) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new ConfigException("otlp.provider.aliases", pair, "expected <convention name>=<catalog provider>");
            }
            aliases.put(pair.substring(0, eq).toLowerCase(Locale.ROOT), pair.substring(eq + 1));
        }
        Set<String> excludes = new HashSet<>();
        for (String pair : list(get.apply("otlp.input.excludes-cache"))) {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new ConfigException("otlp.input.excludes-cache", pair, "expected <attribute set>:<provider>");
            }
            try {
                AttributeSet.ofLabel(pair.substring(0, colon));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("otlp.input.excludes-cache", pair, e.getMessage());
            }
            excludes.add(pair);
        }
        return new SpanMappingConfig(required(get, "otlp.attribute.tenant"), required(get, "otlp.attribute.task"),
                list(get.apply("otlp.attribute.task-class")), required(get, "otlp.attribute.route"),
                list(get.apply("otlp.attribute.prompt-version")), list(get.apply("otlp.attribute.end-user")),
                Map.copyOf(aliases), Set.copyOf(excludes));
    }

    /** The defaults alone. */
    public static SpanMappingConfig standard() {
        return from(key -> null);
    }

    /** Whether {@code set}'s input count for {@code provider} already leaves out the cache tokens. */
    public boolean inputExcludesCache(AttributeSet set, String provider) {
        return inputExcludesCache.contains(set.label() + ":" + provider);
    }

    /** The catalog's name of a provider as the span names it. */
    public String provider(String spanProvider) {
        String lower = spanProvider.toLowerCase(Locale.ROOT);
        return providerAliases.getOrDefault(lower, lower);
    }

    private static List<String> required(Function<String, String> get, String key) {
        List<String> names = list(get.apply(key));
        if (names.isEmpty()) {
            throw new ConfigException(key, "", "at least one attribute name is required");
        }
        return names;
    }

    private static List<String> list(String value) {
        return value == null ? List.of() : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
