package dev.costmeter.deploy.modules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A module's README.md as a reader meets it: its first paragraph says what the module is and what it uses. */
record ModuleReadme(String firstParagraph) {

    /** The first paragraph of {@code readme}: the first run of non-blank lines that is not a heading. */
    static ModuleReadme read(Path readme) throws IOException {
        return parse(Files.readString(readme, StandardCharsets.UTF_8));
    }

    static ModuleReadme parse(String markdown) {
        List<String> paragraph = new ArrayList<>();
        for (String line : markdown.split("\\R", -1)) {
            if (line.isBlank()) {
                if (!paragraph.isEmpty()) {
                    break;
                }
            } else if (!line.startsWith("#") || !paragraph.isEmpty()) {
                paragraph.add(line.trim());
            }
        }
        return new ModuleReadme(String.join(" ", paragraph));
    }

    /**
     * Whether the paragraph names {@code module} as a word of its own: {@code registry} is named by
     * "the `registry` module's server", not by "costmeter-registry" or "schema-registry".
     */
    boolean names(String module) {
        return Pattern.compile("(?<![\\w-])" + Pattern.quote(module) + "(?![\\w-])").matcher(firstParagraph).find();
    }
}
