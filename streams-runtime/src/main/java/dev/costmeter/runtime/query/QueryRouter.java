package dev.costmeter.runtime.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.costmeter.runtime.auth.AccessDeniedException;
import dev.costmeter.runtime.http.OpsServer;
import dev.costmeter.runtime.http.Request;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Routes interactive queries to the instance that holds the state, as the MetadataService of
 * Confluent's kafka-streams-examples does: {@link #ownerOf} finds the active host of a key,
 * {@link #isLocal} tells whether that is this instance, {@link #forward} asks a peer, and
 * {@link #allHostsFor} lists the instances to fan a query out to. Keys are strings.
 *
 * <p>When {@code application.server} is not set (a single instance), Kafka Streams reports
 * every store at {@link HostInfo#unavailable()}, and this router treats that as local.
 *
 * <p>A forwarded query carries the caller's {@code Authorization} header, and the peer checks it
 * again: an instance never answers a peer with more than the caller may read. With TLS on, peers
 * are asked over https.
 *
 * <p>Anything that means "not now" (metadata not yet available during a rebalance, a peer that
 * answers 503 or does not answer) is thrown as {@link StateNotQueryableException}, which
 * {@link OpsServer} answers with a retryable 503.
 */
public final class QueryRouter {

    /** Reads the peers' bodies; reading needs none of the ops server's serialization settings. */
    private static final ObjectMapper PEER_BODIES = new ObjectMapper();

    /** Default time a forwarded query may take. */
    public static final Duration DEFAULT_FORWARD_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaStreams streams;
    private final HostInfo self;
    private final HttpClient httpClient;
    private final Duration forwardTimeout;
    private final String scheme;

    /**
     * @param streams    the local client
     * @param self       this instance's {@code application.server}, or {@link HostInfo#unavailable()}
     * @param httpClient the client used to forward
     */
    public QueryRouter(KafkaStreams streams, HostInfo self, HttpClient httpClient) {
        this(streams, self, httpClient, DEFAULT_FORWARD_TIMEOUT);
    }

    /** As {@link #QueryRouter(KafkaStreams, HostInfo, HttpClient)}, with a forwarding timeout. */
    public QueryRouter(KafkaStreams streams, HostInfo self, HttpClient httpClient, Duration forwardTimeout) {
        this(streams, self, httpClient, forwardTimeout, "http");
    }

    /** As {@link #QueryRouter(KafkaStreams, HostInfo, HttpClient, Duration)}, asking peers over {@code scheme} (http or https). */
    public QueryRouter(KafkaStreams streams, HostInfo self, HttpClient httpClient, Duration forwardTimeout, String scheme) {
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("scheme must be http or https: " + scheme);
        }
        this.scheme = scheme;
        this.streams = Objects.requireNonNull(streams, "streams");
        this.self = Objects.requireNonNull(self, "self");
        this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
        this.forwardTimeout = Objects.requireNonNull(forwardTimeout, "forwardTimeout");
    }

    /** This instance's host, as given. */
    public HostInfo self() {
        return self;
    }

    /**
     * The instance holding the active copy of {@code key} in {@code store}; empty when the store
     * is not part of this application's topology.
     *
     * @throws StateNotQueryableException when the metadata is not available yet (rebalancing,
     *         not started)
     */
    public Optional<HostInfo> ownerOf(String store, String key) {
        if (singleInstance()) {
            // Without application.server Kafka Streams keeps no metadata: this instance holds everything.
            return Optional.of(self);
        }
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
        } catch (IllegalStateException e) {
            throw notQueryable("metadata of store " + store + " unavailable: " + e.getMessage(), e);
        }
        if (metadata == null) {
            return Optional.empty();
        }
        if (KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) || metadata.activeHost() == null) {
            throw notQueryable("owner of a key in store " + store + " not known yet", null);
        }
        return Optional.of(metadata.activeHost());
    }

    /** Whether {@code host} is this instance (always, when {@code application.server} is not set). */
    public boolean isLocal(HostInfo host) {
        return self.equals(host) || HostInfo.unavailable().equals(host) || HostInfo.unavailable().equals(self);
    }

    /**
     * Asks {@code host} the question of {@code request}, on behalf of its caller: as
     * {@link #forward(HostInfo, String)}, passing on the caller's {@code Authorization} header.
     *
     * @throws AccessDeniedException when the peer answers 403 (the caller may not read it)
     */
    public JsonNode forward(HostInfo host, Request request) {
        return forward(host, request.pathAndQuery(), request.authorization().orElse(null));
    }

    /**
     * GETs {@code http(s)://host:port} + {@code pathAndQuery} with {@code local=true} added, so that
     * the peer answers from its own stores, and returns its JSON body. Carries no caller identity:
     * a peer that requires tokens answers 401; use {@link #forward(HostInfo, Request)}.
     *
     * @throws StateNotQueryableException when the peer answers 503 or cannot be reached in time
     * @throws NoSuchElementException     when the peer answers 404
     * @throws IllegalArgumentException   when the peer answers 400
     * @throws IllegalStateException      on any other non-200 answer or an unreadable body
     */
    public JsonNode forward(HostInfo host, String pathAndQuery) {
        return forward(host, pathAndQuery, null);
    }

    private JsonNode forward(HostInfo host, String pathAndQuery, String authorization) {
        URI uri = URI.create(scheme + "://" + host.host() + ":" + host.port() + withLocal(pathAndQuery));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(forwardTimeout)
                .header("Accept", "application/json").GET();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = httpClient.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw notQueryable("peer " + host + " did not answer " + uri.getRawPath() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw notQueryable("interrupted while asking peer " + host, e);
        }
        int status = response.statusCode();
        JsonNode body = parse(host, response.body(), status);
        return switch (status) {
            case 200 -> body;
            case 503 -> throw notQueryable("peer " + host + " is not queryable yet", null);
            case 404 -> throw new NoSuchElementException(errorText(body, "not found"));
            case 400 -> throw new IllegalArgumentException(errorText(body, "bad request"));
            case 403 -> throw new AccessDeniedException(errorText(body, "forbidden"));
            case 401 -> throw new IllegalStateException("peer " + host + " refused the caller's token, which this"
                    + " instance accepted: do all instances read the same http.auth.tokens?");
            default -> throw new IllegalStateException("peer " + host + " answered " + status + " to " + uri);
        };
    }

    /**
     * The instances hosting {@code store}, with active or standby tasks, as Kafka Streams lists
     * them: for queries that fan out to every instance (e.g. a top-N over all partitions), each
     * answering from its active tasks.
     *
     * @throws StateNotQueryableException when no instance is known yet
     */
    public List<HostInfo> allHostsFor(String store) {
        if (singleInstance()) {
            return List.of(self);
        }
        Collection<StreamsMetadata> metadata;
        try {
            metadata = streams.streamsMetadataForStore(store);
        } catch (IllegalStateException e) {
            throw notQueryable("metadata of store " + store + " unavailable: " + e.getMessage(), e);
        }
        List<HostInfo> hosts = metadata.stream().map(StreamsMetadata::hostInfo).distinct().toList();
        if (hosts.isEmpty()) {
            throw notQueryable("no instance hosts store " + store + " yet", null);
        }
        return hosts;
    }

    private boolean singleInstance() {
        return HostInfo.unavailable().equals(self);
    }

    static String withLocal(String pathAndQuery) {
        String path = pathAndQuery.startsWith("/") ? pathAndQuery : "/" + pathAndQuery;
        int q = path.indexOf('?');
        StringJoiner query = new StringJoiner("&");
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                boolean local = pair.equals(Request.LOCAL_PARAM) || pair.startsWith(Request.LOCAL_PARAM + "=");
                if (!pair.isEmpty() && !local) {
                    query.add(pair);
                }
            }
            path = path.substring(0, q);
        }
        query.add(Request.LOCAL_PARAM + "=true");
        return path + "?" + query;
    }

    private static JsonNode parse(HostInfo host, String body, int status) {
        if (body == null || body.isBlank()) {
            return PEER_BODIES.nullNode();
        }
        try {
            return PEER_BODIES.readTree(body);
        } catch (IOException e) {
            if (status == 200) {
                throw new IllegalStateException("peer " + host + " answered a body that is not JSON", e);
            }
            return PEER_BODIES.nullNode();
        }
    }

    private static String errorText(JsonNode body, String fallback) {
        JsonNode error = body.path("error");
        return error.isTextual() ? error.asText() : fallback;
    }

    private static StateNotQueryableException notQueryable(String message, Throwable cause) {
        return cause == null ? new StateNotQueryableException(message) : new StateNotQueryableException(message, cause);
    }
}
