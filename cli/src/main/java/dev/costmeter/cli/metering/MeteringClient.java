package dev.costmeter.cli.metering;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.CostctlException;
import dev.costmeter.cli.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The calls costctl makes to metering-stream's HTTP query API. An error answer is
 * {@code {"error": "...", "retryable": true|false}}; a 503 that is not marked
 * {@code "retryable": false} (the store is rebalancing or restoring) is retried up to
 * {@link #DEFAULT_RETRIES} times with a doubling backoff before the command fails.
 */
public final class MeteringClient {

    /** Retries of a 503 before giving up. */
    public static final int DEFAULT_RETRIES = 3;

    private static final String SERVICE = "metering-stream";

    private final URI base;
    private final Duration timeout;
    private final Duration backoff;
    private final int retries;
    private final HttpClient http;

    /**
     * @param base e.g. {@code http://localhost:8090}, without a trailing slash
     * @param backoff the wait before the first retry, doubled before each further one
     */
    public MeteringClient(URI base, Duration timeout, Duration backoff, int retries) {
        this.base = base;
        this.timeout = timeout;
        this.backoff = backoff;
        this.retries = retries;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * {@code GET /v1/spend}: cost and usage of one scope of a dimension, per window.
     *
     * @param from null to let metering-stream choose
     * @param to null to let metering-stream choose
     * @param granularity null to let metering-stream choose
     */
    public JsonNode spend(String dimension, String scope, Instant from, Instant to, String granularity) {
        return get("/v1/spend", windowsQuery(dimension, scope, from, to, granularity));
    }

    /**
     * {@code GET /v1/levers}: what each lever saved for one scope, per window and in total.
     *
     * @param from null to let metering-stream choose (7 days before {@code to})
     * @param to null to let metering-stream choose (now)
     */
    public JsonNode levers(String dimension, String scope, Instant from, Instant to, String granularity) {
        return get("/v1/levers", windowsQuery(dimension, scope, from, to, granularity));
    }

    /** The query of one scope's rollup windows (spend, levers); a null bound or granularity is metering-stream's choice. */
    private static Map<String, String> windowsQuery(String dimension, String scope, Instant from, Instant to, String granularity) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("dimension", dimension);
        query.put("scope", scope);
        if (from != null) {
            query.put("from", from.toString());
        }
        if (to != null) {
            query.put("to", to.toString());
        }
        if (granularity != null) {
            query.put("granularity", granularity);
        }
        return query;
    }

    /**
     * {@code GET /v1/envelope}: the month's best / base / worst for one scope.
     *
     * @param through null to let metering-stream choose (today for this month, else the month's last day)
     */
    public JsonNode envelope(String dimension, String scope, java.time.YearMonth month, LocalDate through) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("dimension", dimension);
        query.put("scope", scope);
        query.put("month", month.toString());
        if (through != null) {
            query.put("through", through.toString());
        }
        return get("/v1/envelope", query);
    }

    /** {@code GET /v1/top-tasks}: the costliest tasks of a UTC day. */
    public JsonNode topTasks(LocalDate day, int limit) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("day", day.toString());
        query.put("limit", Integer.toString(limit));
        return get("/v1/top-tasks", query);
    }

    /**
     * {@code GET /v1/task-classes/{task_class}/models}: per model, cost per call, success rate and
     * cost per successful task of one kind of work over UTC days [from, to].
     *
     * @param from null to let metering-stream choose (29 days before {@code to})
     * @param to null to let metering-stream choose (today)
     */
    public JsonNode taskClassModels(String taskClass, LocalDate from, LocalDate to) {
        Map<String, String> query = new LinkedHashMap<>();
        if (from != null) {
            query.put("from", from.toString());
        }
        if (to != null) {
            query.put("to", to.toString());
        }
        String segment = URLEncoder.encode(taskClass, StandardCharsets.UTF_8).replace("+", "%20");
        return get("/v1/task-classes/" + segment + "/models", query);
    }

    private JsonNode get(String path, Map<String, String> query) {
        URI uri = URI.create(base + path + queryString(query));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        int attempt = 0;
        while (true) {
            attempt++;
            HttpResponse<String> response = send(request);
            if (response.statusCode() == 200) {
                return parse(response.body(), uri);
            }
            ErrorAnswer error = ErrorAnswer.of(response);
            if (response.statusCode() == 503 && error.retryable() && attempt <= retries) {
                pause(attempt);
                continue;
            }
            String tries = attempt > 1 ? " after " + attempt + " attempts" : "";
            throw CostctlException.failed(SERVICE + " answered HTTP " + response.statusCode() + tries + " to GET " + path
                    + ": " + error.message());
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw CostctlException.unreachable(SERVICE, base.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CostctlException.failed("interrupted while calling " + SERVICE, e);
        }
    }

    private void pause(int attempt) {
        long millis = backoff.toMillis() << (attempt - 1);
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CostctlException.failed("interrupted while waiting to retry " + SERVICE, e);
        }
    }

    private static JsonNode parse(String body, URI uri) {
        try {
            return Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw CostctlException.failed(SERVICE + " answered GET " + uri.getPath() + " with a body that is not JSON");
        }
    }

    private static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringJoiner joiner = new StringJoiner("&", "?", "");
        query.forEach((key, value) -> joiner.add(key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return joiner.toString();
    }

    /** The error body metering-stream sends with a 4xx or 5xx, or what can be said without one. */
    private record ErrorAnswer(String message, boolean retryable) {

        static ErrorAnswer of(HttpResponse<String> response) {
            try {
                JsonNode json = Json.mapper().readTree(response.body());
                if (json != null && json.hasNonNull("error")) {
                    return new ErrorAnswer(json.get("error").asText(), json.path("retryable").asBoolean(true));
                }
            } catch (JsonProcessingException e) {
                // Not the documented error body (a proxy's page, say): fall through to the status alone.
            }
            return new ErrorAnswer("no error message in the answer", true);
        }
    }
}
