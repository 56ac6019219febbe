package dev.costmeter.client.killswitch;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
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
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's optional local state: per scope, the newest command it accepted (or, for a scope a
 * tombstone cleaned up, its sequence, issue time and signature), so that after a restart it never
 * goes back to an older command and keeps a switch whose records compaction replaced by a replay.
 *
 * <p>UTF-8 text, one scope per line, space-separated URL-encoded fields, {@code ~} for an absent
 * value: {@code scope sequence issued_at_ms signature}, then, when the command is held,
 * {@code action fallback_model reason expires_at_ms issuer key_id algorithm}. Lines starting with
 * {@code #} are comments. Nothing in it is secret (commands are public and signed); it is verified
 * again when read. Written whole to a temporary file and moved into place, so a crash leaves the
 * previous version.
 */
final class HighWaterFile {

    private static final Logger LOG = LoggerFactory.getLogger(HighWaterFile.class);
    private static final String HEADER = "# costmeter kill-switch state v1: scope sequence issued_at_ms signature"
            + " [action fallback_model reason expires_at_ms issuer key_id algorithm], URL-encoded, ~ = none";
    private static final String NONE = "~";

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
            LOG.warn("Cannot read the kill-switch state file {}; starting without it: {}", path, e.toString());
            return Map.of();
        }
        Map<String, HighWater> waters = new HashMap<>();
        int skipped = 0;
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            try {
                String[] f = line.strip().split(" ");
                if (f.length != 4 && f.length != 11) {
                    throw new IllegalArgumentException("expected 4 or 11 fields");
                }
                String scope = text(f[0]);
                long sequence = Long.parseLong(f[1]);
                long issuedAt = Long.parseLong(f[2]);
                String signature = text(f[3]);
                ControlCommand command = f.length == 4 ? null : ControlCommand.newBuilder().setScope(scope)
                        .setAction(SwitchAction.valueOf(text(f[4]))).setFallbackModel(text(f[5])).setReason(text(f[6]))
                        .setIssuedAt(Instant.ofEpochMilli(issuedAt))
                        .setExpiresAt(NONE.equals(f[7]) ? null : Instant.ofEpochMilli(Long.parseLong(f[7])))
                        .setIssuer(text(f[8])).setSequence(sequence).setKeyId(text(f[9])).setAlgorithm(text(f[10]))
                        .setSignature(signature).build();
                waters.put(scope, new HighWater(sequence, issuedAt, signature, command));
            } catch (RuntimeException e) {
                skipped++;
            }
        }
        if (skipped > 0) {
            LOG.warn("Skipped {} unreadable line(s) of the kill-switch state file {}", skipped, path);
        }
        return waters;
    }

    /** Replaces the file with {@code waters}. */
    void save(Map<String, HighWater> waters) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        new TreeMap<>(waters).forEach((scope, water) -> {
            text.append(token(scope)).append(' ').append(water.sequence()).append(' ').append(water.issuedAtMs())
                    .append(' ').append(token(water.signature()));
            ControlCommand c = water.command();
            if (c != null) {
                text.append(' ').append(token(c.getAction().name())).append(' ').append(token(c.getFallbackModel()))
                        .append(' ').append(token(c.getReason())).append(' ')
                        .append(c.getExpiresAt() == null ? NONE : Long.toString(c.getExpiresAt().toEpochMilli()))
                        .append(' ').append(token(c.getIssuer())).append(' ').append(token(c.getKeyId()))
                        .append(' ').append(token(c.getAlgorithm()));
            }
            text.append('\n');
        });
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

    /** URLEncoder encodes '~', so a lone ~ can only mean "none". */
    private static String token(String value) {
        return value == null ? NONE : value.isEmpty() ? "%" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String text(String token) {
        return NONE.equals(token) ? null : "%".equals(token) ? "" : URLDecoder.decode(token, StandardCharsets.UTF_8);
    }
}
