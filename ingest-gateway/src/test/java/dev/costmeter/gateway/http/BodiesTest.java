package dev.costmeter.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodiesTest {

    @Test
    void shouldReadABodyWithinTheBoundPlainOrGzipped() throws Exception {
        byte[] body = "{\"resourceSpans\":[]}".getBytes();

        assertThat(Bodies.read(new ByteArrayInputStream(body), null, body.length, 100)).isEqualTo(body);
        assertThat(Bodies.read(new ByteArrayInputStream(gzip(body)), "gzip", -1, 100)).isEqualTo(body);
    }

    @Test
    void shouldRefuseABodyAboveTheBoundByItsLengthOrOnceDecompressed() throws Exception {
        byte[] large = new byte[10_000];

        assertThatThrownBy(() -> Bodies.read(new ByteArrayInputStream(large), null, large.length, 1_000))
                .isInstanceOf(Bodies.TooLarge.class).hasMessageContaining("10000 bytes");
        assertThatThrownBy(() -> Bodies.read(new ByteArrayInputStream(large), null, -1, 1_000))
                .isInstanceOf(Bodies.TooLarge.class);
        byte[] bomb = gzip(large);
        assertThat(bomb.length).as("zeros compress well").isLessThan(1_000);
        assertThatThrownBy(() -> Bodies.read(new ByteArrayInputStream(bomb), "gzip", bomb.length, 1_000))
                .isInstanceOf(Bodies.TooLarge.class).hasMessageContaining("once decompressed");
    }

    @Test
    void shouldRefuseAnUnknownEncodingAndACorruptGzipBody() {
        assertThatThrownBy(() -> Bodies.read(new ByteArrayInputStream(new byte[1]), "br", 1, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Content-Encoding");
        assertThatThrownBy(() -> Bodies.read(new ByteArrayInputStream(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 1, 2}),
                "gzip", 12, 100)).isInstanceOf(Exception.class);
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
