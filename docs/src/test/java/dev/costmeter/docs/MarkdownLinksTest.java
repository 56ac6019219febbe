package dev.costmeter.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in every Markdown file of the repository points at a file or directory that
 * exists, and every {@code #anchor} at a heading of the page it names (GitHub's anchor rules), so a
 * moved or renamed file fails the build instead of a reader. Links in fenced code blocks, to web
 * addresses and to e-mail addresses are not checked.
 */
class MarkdownLinksTest {

    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", ".git", "node_modules", ".costmeter", ".mvn");

    @Test
    void shouldFindEveryRelativeLinkTarget() throws IOException {
        Path root = repositoryRoot();
        List<String> broken = new ArrayList<>();
        List<Path> pages = markdownFiles(root);
        for (Path page : pages) {
            for (String link : links(page)) {
                check(root, page, link).ifPresent(problem -> broken.add(root.relativize(page) + ": " + link + " (" + problem + ")"));
            }
        }
        assertThat(pages).as("Markdown files found under " + root).isNotEmpty();
        assertThat(broken).as("links that point nowhere").isEmpty();
    }

    @Test
    void shouldSlugHeadingsAsGitHubDoes() {
        assertThat(slug("Query API (JSON; any instance answers for any key)"))
                .isEqualTo("query-api-json-any-instance-answers-for-any-key");
        assertThat(slug("The `costctl` command")).isEqualTo("the-costctl-command");
        assertThat(slug("Money: nano-USD, exact")).isEqualTo("money-nano-usd-exact");
    }

    private static java.util.Optional<String> check(Path root, Path page, String link) {
        if (link.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return java.util.Optional.empty(); // http:, https:, mailto: ...
        }
        String path = link;
        String anchor = null;
        int hash = link.indexOf('#');
        if (hash >= 0) {
            path = link.substring(0, hash);
            anchor = link.substring(hash + 1);
        }
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        Path target = path.isEmpty() ? page : (path.startsWith("/") ? root.resolve(path.substring(1))
                : page.getParent().resolve(path)).normalize();
        if (!Files.exists(target)) {
            return java.util.Optional.of("no such file");
        }
        if (anchor != null && !anchor.isEmpty() && target.toString().endsWith(".md")
                && !anchors(target).contains(anchor.toLowerCase(Locale.ROOT))) {
            return java.util.Optional.of("no heading #" + anchor + " in " + root.relativize(target));
        }
        return java.util.Optional.empty();
    }

    private static List<String> links(Path page) {
        List<String> links = new ArrayList<>();
        boolean fenced = false;
        for (String line : lines(page)) {
            if (line.trim().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher m = LINK.matcher(stripInlineCode(line));
            while (m.find()) {
                links.add(m.group(1));
            }
        }
        return links;
    }

    private static String stripInlineCode(String line) {
        return line.replaceAll("`[^`]*`", "");
    }

    private static Set<String> anchors(Path page) {
        Set<String> anchors = new HashSet<>();
        Set<String> seen = new HashSet<>();
        boolean fenced = false;
        for (String line : lines(page)) {
            if (line.trim().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (!fenced && m.matches()) {
                String base = slug(m.group(1));
                String anchor = base;
                for (int n = 1; !seen.add(anchor); n++) {
                    anchor = base + "-" + n;
                }
                anchors.add(anchor);
            }
        }
        return anchors;
    }

    /** GitHub's heading anchor: lower case, punctuation dropped (hyphens and underscores kept), spaces as hyphens. */
    static String slug(String heading) {
        String text = heading.replaceAll("`", "").replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1");
        StringBuilder slug = new StringBuilder();
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.append(c);
            } else if (c == ' ') {
                slug.append('-');
            }
        }
        return slug.toString();
    }

    private static List<String> lines(Path page) {
        try {
            return Files.readAllLines(page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code .md} file under {@code root}, not descending into build output, VCS or data directories. */
    private static List<Path> markdownFiles(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return !dir.equals(root) && SKIPPED_DIRECTORIES.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (file.getFileName().toString().endsWith(".md")) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mvnw")) && Files.exists(dir.resolve("README.md"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (mvnw and README.md) above " + Path.of("").toAbsolutePath());
    }
}
