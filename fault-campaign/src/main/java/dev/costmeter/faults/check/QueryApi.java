package dev.costmeter.faults.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.costmeter.faults.oracle.SpendTotals;
import dev.costmeter.faults.oracle.Values;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * metering-stream's query API, as the checker reads it. Any instance answers any key; a 503 (state
 * restoring or rebalancing) is retried, and the instances are tried in turn. Safe for concurrent use.
 */
public final class QueryApi {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final List<String> baseUrls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger next = new AtomicInteger();

    public QueryApi(List<String> baseUrls) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("no metering-stream URL to query");
        }
        this.baseUrls = List.copyOf(baseUrls);
    }

    /** The day window of a rollup scope; {@code dimension} as the API takes it (tenant, model, ...). */
    public SpendTotals spend(String dimension, String scope, LocalDate day) throws InterruptedException {
        String from = day.atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        String to = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        JsonNode answer = get("/v1/spend?dimension=" + encode(dimension) + "&scope=" + encode(scope)
                + "&granularity=day&from=" + from + "&to=" + to);
        JsonNode t = answer.path("total");
        return new SpendTotals(t.path("calls").asLong(), t.path("retries").asLong(), t.path("failures").asLong(),
                t.path("response_cache_hits").asLong(), t.path("unpriced_calls").asLong(), t.path("input_tokens").asLong(),
                t.path("output_tokens").asLong(), t.path("cache_read_tokens").asLong(), t.path("cache_write_tokens").asLong(),
                t.path("cost_nanos").asLong(), t.path("input_cost_nanos").asLong(), t.path("output_cost_nanos").asLong(),
                t.path("cache_read_cost_nanos").asLong(), t.path("cache_write_cost_nanos").asLong(),
                t.path("savings_nanos").asLong());
    }

    /** One task's totals, or null when metering does not know the task. */
    public Values.Task task(String taskId) throws InterruptedException {
        JsonNode t = get("/v1/tasks/" + encode(taskId));
        if (t == null) {
            return null;
        }
        Map<String, Values.ModelUse> models = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = t.path("models").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> model = it.next();
            models.put(model.getKey(), new Values.ModelUse(model.getValue().path("calls").asLong(),
                    model.getValue().path("cost_nanos").asLong()));
        }
        return new Values.Task(t.path("calls").asLong(), t.path("retries").asLong(), t.path("failures").asLong(),
                t.path("response_cache_hits").asLong(), t.path("unpriced_calls").asLong(), t.path("input_tokens").asLong(),
                t.path("output_tokens").asLong(), t.path("cache_read_tokens").asLong(), t.path("cache_write_tokens").asLong(),
                t.path("cost_nanos").asLong(), t.path("savings_nanos").asLong(), t.path("tool_calls").asLong(),
                Map.copyOf(models), t.path("outcome").isNull() ? null : t.path("outcome").asText());
    }

    /**
     * The task_class table of one kind of work on one UTC day, by model: the figures of tasks that
     * have an outcome. The API's {@code calls} and {@code cost_nanos} also count tasks without one
     * ({@code open_calls}, {@code open_cost_nanos}), which the oracle does not model, so those are
     * taken out, and a model only open tasks used is left out.
     */
    public Map<String, Values.TaskClassStats> taskClassModels(String taskClass, LocalDate day) throws InterruptedException {
        JsonNode answer = get("/v1/task-classes/" + encode(taskClass) + "/models?from=" + day + "&to=" + day);
        Map<String, Values.TaskClassStats> models = new LinkedHashMap<>();
        for (JsonNode m : answer.path("models")) {
            long calls = m.path("calls").asLong() - m.path("open_calls").asLong();
            long cost = m.path("cost_nanos").asLong() - m.path("open_cost_nanos").asLong();
            long tasks = m.path("tasks").asLong();
            if (tasks == 0 && calls == 0 && cost == 0) {
                continue;
            }
            models.put(m.path("model").asText(), new Values.TaskClassStats(calls, cost, tasks,
                    m.path("successful_tasks").asLong(), m.path("successful_cost_nanos").asLong(), m.path("waste_nanos").asLong()));
        }
        return models;
    }

    /** The JSON answer, or null on 404; retries 503s and unreachable instances for up to a minute. */
    private JsonNode get(String pathAndQuery) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "";
        while (true) {
            String base = baseUrls.get(Math.floorMod(next.get(), baseUrls.size()));
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                        .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return json.readTree(response.body());
                }
                if (response.statusCode() == 404) {
                    return null;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            next.incrementAndGet();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("metering-stream did not answer " + pathAndQuery + " within " + PATIENCE
                        + "; last: " + last);
            }
            Thread.sleep(250);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
