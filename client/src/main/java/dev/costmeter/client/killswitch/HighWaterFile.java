package dev.costmeter.client.killswitch;

import dev.costmeter.schemas.control.HighWater;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's optional local state: per scope, the sequence, issue time and signature of the
 * newest command it accepted, so that after a restart it never goes back to an older command, even
 * when compaction has left an old replayed one as the only record of a scope. UTF-8 text, one scope
 * per line: {@code <scope, URL-encoded> <sequence> <issued_at_ms> <signature>}; lines starting with
 * {@code #} are comments. Written whole to a temporary file and moved into place, so a crash leaves
 * the previous version.
 */
final class HighWaterFile {

    private static final Logger LOG = LoggerFactory.getLogger(HighWaterFile.class);
    private static final String HEADER = "# costmeter kill-switch high water v1: <scope, URL-encoded> <sequence> <issued_at_ms> <signature>";

    private final Path path;

    HighWaterFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** What the file holds; empty when there is no file yet. Lines that do not parse are skipped and logged. */
    Map<String, HighWater> load() {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            LOG.warn("Cannot read the kill-switch high-water file {}; starting without it: {}", path, e.toString());
            return Map.of();
        }
        Map<String, HighWater> waters = new HashMap<>();
        int skipped = 0;
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.strip().split(" ");
            try {
                if (parts.length != 4) {
                    throw new IllegalArgumentException("expected 4 fields");
                }
                waters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        new HighWater(Long.parseLong(parts[1]), Long.parseLong(parts[2]), parts[3], null));
            } catch (IllegalArgumentException e) {
                skipped++;
            }
        }
        if (skipped > 0) {
            LOG.warn("Skipped {} unreadable line(s) of the kill-switch high-water file {}", skipped, path);
        }
        return waters;
    }

    /** Replaces the file with {@code waters}. */
    void save(Map<String, HighWater> waters) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        new TreeMap<>(waters).forEach((scope, water) -> text.append(URLEncoder.encode(scope, StandardCharsets.UTF_8))
                .append(' ').append(water.sequence()).append(' ').append(water.issuedAtMs()).append(' ')
                .append(water.signature()).append('\n'));
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, path.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
