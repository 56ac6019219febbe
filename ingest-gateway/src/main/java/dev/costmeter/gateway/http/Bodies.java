package dev.costmeter.gateway.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/** Request bodies read with a bound, before and after gzip (a small gzip body may inflate a lot). */
final class Bodies {

    /** The body was larger than the bound. */
    static final class TooLarge extends Exception {
        TooLarge(String message) {
            super(message);
        }
    }

    private Bodies() {
    }

    static byte[] read(InputStream raw, String contentEncoding, long contentLength, int maxBytes) throws IOException, TooLarge {
        if (contentLength > maxBytes) {
            throw new TooLarge("the body is " + contentLength + " bytes, above the limit of " + maxBytes);
        }
        String encoding = contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        InputStream in = switch (encoding) {
            case "identity", "" -> raw;
            case "gzip" -> new GZIPInputStream(raw);
            default -> throw new IllegalArgumentException("unsupported Content-Encoding '" + encoding + "': use gzip or none");
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(contentLength, 1024), maxBytes));
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        try {
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new TooLarge("the body is above the limit of " + maxBytes + " bytes" + (in == raw ? "" : " once decompressed"));
                }
                out.write(buffer, 0, n);
            }
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException("the gzip body is corrupt: " + e.getMessage());
        }
        return out.toByteArray();
    }
}
