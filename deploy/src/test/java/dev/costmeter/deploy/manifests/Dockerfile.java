package dev.costmeter.deploy.manifests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Dockerfile as its instructions, continuation lines joined and comments dropped. */
record Dockerfile(Path path, List<Instruction> instructions) {

    /** One instruction: {@code COPY a b} is keyword {@code COPY}, arguments {@code a b}. */
    record Instruction(String keyword, String arguments) {

        /** The words of the arguments, {@code --flags} left out. */
        List<String> words() {
            List<String> words = new ArrayList<>();
            for (String word : arguments.trim().split("\\s+")) {
                if (!word.startsWith("--")) {
                    words.add(word);
                }
            }
            return words;
        }
    }

    static Dockerfile parse(Path path) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : DeployFiles.read(path).split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            String text = pending.toString().strip();
            pending.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            int space = text.indexOf(' ');
            instructions.add(new Instruction(text.substring(0, space < 0 ? text.length() : space).toUpperCase(Locale.ROOT),
                    space < 0 ? "" : text.substring(space + 1).strip()));
        }
        return new Dockerfile(path, instructions);
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The image name stem: {@code metering-stream.Dockerfile} → {@code metering-stream}. */
    String name() {
        String file = path.getFileName().toString();
        return file.substring(0, file.length() - ".Dockerfile".length());
    }

    /** Every Dockerfile under {@code deploy/docker}. */
    static List<Dockerfile> all() {
        return DeployFiles.filesEndingWith(".Dockerfile").stream().map(Dockerfile::parse).toList();
    }
}
