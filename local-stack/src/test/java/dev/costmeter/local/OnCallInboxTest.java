package dev.costmeter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnCallInboxTest {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseToListenBeyondLoopback() {
        assertThatThrownBy(() -> OnCallInbox.start("0.0.0.0", 0, dir, new PrintStream(new ByteArrayOutputStream())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("loopback");
    }

    @Test
    void shouldStoreAPageOnLoopbackAndRefuseAnOversizedBody() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (OnCallInbox inbox = OnCallInbox.start("localhost", 0, dir, new PrintStream(console, true))) {
            HttpClient http = HttpClient.newHttpClient();
            URI alerts = URI.create("http://127.0.0.1:" + inbox.port() + "/alerts");

            HttpResponse<String> page = http.send(HttpRequest.newBuilder(alerts)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"FIRING\",\"summary\":\"acme over budget\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> huge = http.send(HttpRequest.newBuilder(alerts)
                    .POST(HttpRequest.BodyPublishers.ofString("[" + "1,".repeat(OnCallInbox.MAX_BODY_BYTES) + "1]")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(page.statusCode()).isEqualTo(202);
            assertThat(huge.statusCode()).isEqualTo(413);
            assertThat(inbox.pages()).hasSize(1);
            assertThat(console.toString()).contains("acme over budget");
        }
    }
}
