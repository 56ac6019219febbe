package dev.costmeter.cli.status;

import dev.costmeter.cli.CostctlException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** One GET with a deadline; a connection failure becomes a short reason instead of an exception. */
final class HttpProbe {

    /** The status and body, or the reason no answer came. */
    record Answer(int status, String body, String failure) {
        boolean answered() {
            return failure == null;
        }
    }

    private final HttpClient http;
    private final Duration timeout;

    HttpProbe(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    Answer get(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.body(), null);
        } catch (IOException | IllegalArgumentException e) {
            return new Answer(-1, null, "not reachable (" + CostctlException.reason(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null, "interrupted");
        }
    }
}
