package dev.costmeter.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaRegistryClient} over the Confluent Schema Registry REST API.
 *
 * <p>Ids and the schemas behind them never change in a registry, so they are cached for the life
 * of the client: a serde calls the registry once per schema. Several URLs are tried in order when
 * one cannot be reached. A registry that cannot answer (unreachable, timed out, HTTP 5xx) raises
 * {@link SchemaRegistryUnavailableException}, which readers retry; an answer such as "schema not
 * found" raises a plain {@link SchemaRegistryException}, which is about the request. Thread-safe.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final Logger log = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClientConfig config;
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    public RestSchemaRegistryClient(RegistryClientConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(config.requestTimeout())
                .version(HttpClient.Version.HTTP_1_1);
        config.sslContext().ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        JsonNode answer = call("POST", "/subjects/" + encode(subject) + "/versions", body);
        int id = answer.path("id").asInt();
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        log.debug("Registered schema {} under subject {} as id {}", schema.getFullName(), subject, id);
        return id;
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        RegisteredSchema found = toRegistered(call("POST", "/subjects/" + encode(subject), body));
        idsBySubjectSchema.put(new SubjectSchema(subject, schema), found.id());
        return found;
    }

    /** Returns the cached id of {@code schema} under {@code subject}, looking it up once. */
    public int idOf(String subject, Schema schema) {
        Integer cached = idsBySubjectSchema.get(new SubjectSchema(subject, schema));
        return cached != null ? cached : lookup(subject, schema).id();
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema schema = parse(call("GET", "/schemas/ids/" + id, null).path("schema").asText());
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return toRegistered(call("GET", "/subjects/" + encode(subject) + "/versions/latest", null));
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return toRegistered(call("GET", "/subjects/" + encode(subject) + "/versions/" + version, null));
    }

    @Override
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        call("GET", "/subjects", null).forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    @Override
    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        call("GET", "/subjects/" + encode(subject) + "/versions", null).forEach(node -> versions.add(node.asInt()));
        return versions;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        try {
            return call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", body)
                    .path("is_compatible").asBoolean();
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND) {
                return true;
            }
            throw e;
        }
    }

    @Override
    public String compatibility(String subject) {
        JsonNode answer = call("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null);
        return answer.path("compatibilityLevel").asText();
    }

    @Override
    public void setCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        call("PUT", subject == null ? "/config" : "/config/" + encode(subject), body);
    }

    @Override
    public void close() {
        // java.net.http.HttpClient on Java 17 holds no resources that need closing.
    }

    private RegisteredSchema toRegistered(JsonNode node) {
        Schema schema = parse(node.path("schema").asText());
        int id = node.path("id").asInt();
        schemasById.putIfAbsent(id, schema);
        return new RegisteredSchema(node.path("subject").asText(), id, node.path("version").asInt(), schema);
    }

    private JsonNode call(String method, String path, JsonNode body) {
        SchemaRegistryException lastFailure = null;
        for (URI base : config.urls()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(config.requestTimeout())
                    .header("Accept", CONTENT_TYPE + ", application/json")
                    .method(method, body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE);
            }
            config.authorization().ifPresent(value -> request.header("Authorization", value));
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                log.warn("Schema registry {} unreachable for {} {}: {}", base, method, path, e.toString());
                lastFailure = new SchemaRegistryUnavailableException("Schema registry " + base + " unreachable", e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("Interrupted while calling the schema registry", e);
            }
            if (response.statusCode() / 100 == 5) {
                log.warn("Schema registry {} answered {} {} with HTTP {}", base, method, path, response.statusCode());
                lastFailure = serverError(method, path, response);
                continue;
            }
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                // The registry refuses this client, not the record being read or written: with
                // credentials fixed (or rotated everywhere) the same call succeeds, so a reader must
                // retry rather than dead-letter every record while the credentials are wrong.
                log.warn("Schema registry {} refused {} {} with HTTP {}: check {} / {}", base, method, path,
                        response.statusCode(), RegistryClientConfig.BASIC_AUTH_SOURCE, RegistryClientConfig.BASIC_AUTH_USER_INFO);
                throw serverError(method, path, response);
            }
            return parseResponse(method, path, response);
        }
        throw Objects.requireNonNull(lastFailure);
    }

    /**
     * A 5xx (the registry exists but cannot answer now, e.g. its Kafka store is not ready), or a
     * 401/403 (it refuses this client's credentials): either way nothing about the request's data.
     */
    private static SchemaRegistryUnavailableException serverError(String method, String path, HttpResponse<String> response) {
        String message = "no message";
        int errorCode = response.statusCode();
        try {
            JsonNode json = JSON.readTree(response.body());
            message = json.path("message").asText(message);
            errorCode = json.path("error_code").asInt(errorCode);
        } catch (JsonProcessingException | RuntimeException notJson) {
            // the status alone says enough
        }
        return new SchemaRegistryUnavailableException(method + " " + path + ": " + message, response.statusCode(), errorCode);
    }

    private static JsonNode parseResponse(String method, String path, HttpResponse<String> response) {
        JsonNode json;
        try {
            json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException("Schema registry answered " + method + " " + path
                    + " with a body that is not JSON", response.statusCode(), -1);
        }
        if (response.statusCode() / 100 != 2) {
            String message = json.path("message").asText("no message");
            int errorCode = json.path("error_code").asInt(response.statusCode());
            throw new SchemaRegistryException(method + " " + path + ": " + message, response.statusCode(), errorCode);
        }
        return json;
    }

    private static Schema parse(String schema) {
        try {
            return new Schema.Parser().parse(schema);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("The registry returned a schema that does not parse: " + e.getMessage(), e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Cache key; Avro schemas cache their hash code, so this is cheap on the serializer's hot path. */
    private record SubjectSchema(String subject, Schema schema) {
    }
}
