package dev.costmeter.schemas.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;

/**
 * The text form of kill-switch keys in configuration: {@code id:base64[,id:base64...]}, or
 * {@code file:<path>} naming a UTF-8 file that holds that text (blank lines and lines starting with
 * {@code #} are skipped). Errors name the configuration key and the key id, never key material.
 */
final class KeyText {

    /** The prefix of a file reference; a key id may therefore not be {@code file}. */
    static final String FILE_PREFIX = "file:";
    private static final int MAX_ID_LENGTH = 64;

    /** One {@code id:base64} entry, decoded. */
    record Entry(String id, byte[] der) {
    }

    private KeyText() {
    }

    /** The entries of {@code text}, read from its file when it is a file reference. */
    static List<Entry> entries(String configKey, String text, String expected) {
        if (text == null || text.isBlank()) {
            throw new ConfigException(configKey, "[redacted]", "Not set: expected " + expected);
        }
        String inline = text.strip();
        if (inline.startsWith(FILE_PREFIX)) {
            inline = read(configKey, Path.of(inline.substring(FILE_PREFIX.length()).strip()));
        }
        List<Entry> entries = new ArrayList<>();
        for (String raw : inline.split("[,\\n]")) {
            String entry = raw.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new ConfigException(configKey, "[redacted]", "Each key must be written " + expected);
            }
            String id = checkId(configKey, entry.substring(0, colon));
            try {
                entries.add(new Entry(id, Base64.getDecoder().decode(entry.substring(colon + 1).strip())));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(configKey, "[redacted]", "Key '" + id + "' is not base64");
            }
        }
        if (entries.isEmpty()) {
            throw new ConfigException(configKey, "[redacted]", "No key found: expected " + expected);
        }
        return entries;
    }

    static String checkId(String configKey, String id) {
        boolean printable = id.chars().allMatch(c -> c > 32 && c < 127 && c != ',' && c != ':');
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH || !printable || id.equals("file")) {
            throw new ConfigException(configKey, "[redacted]", "Key id '" + (printable ? id : "?")
                    + "' must be 1 to " + MAX_ID_LENGTH + " printable ASCII characters without spaces, ',' or ':', and not 'file'");
        }
        return id;
    }

    private static String read(String configKey, Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(configKey, FILE_PREFIX + file, "Cannot read the key file: " + e.getClass().getSimpleName());
        }
    }
}
