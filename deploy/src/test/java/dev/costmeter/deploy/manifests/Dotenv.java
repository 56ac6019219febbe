package dev.costmeter.deploy.manifests;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A Compose env file: {@code NAME=value} lines, {@code #} comments. */
final class Dotenv {

    private Dotenv() {
    }

    static Map<String, String> parse(Path file) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : DeployFiles.read(file).split("\n")) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            int eq = text.indexOf('=');
            env.put(text.substring(0, eq), text.substring(eq + 1));
        }
        return env;
    }
}
