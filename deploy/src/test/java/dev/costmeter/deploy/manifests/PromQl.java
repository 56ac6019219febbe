package dev.costmeter.deploy.manifests;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL to find the series an expression reads and the labels it uses: not a parser,
 * but exact for the expressions costmeter's dashboard and rules are written in (selectors with
 * matchers, range vectors, aggregations with {@code by}/{@code without}, functions, arithmetic).
 */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*\\{([^}]*)}");
    private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    private PromQl() {
    }

    /** The metric names an expression selects, each with the label names its own matchers use. */
    static Map<String, Set<String>> selectors(String expression) {
        String expr = withoutRanges(expression);
        Map<String, Set<String>> selected = new LinkedHashMap<>();
        Matcher selector = SELECTOR.matcher(expr);
        StringBuilder rest = new StringBuilder();
        while (selector.find()) {
            String name = selector.group(1);
            Set<String> labels = new LinkedHashSet<>();
            Matcher label = MATCHER_LABEL.matcher(selector.group(2));
            while (label.find()) {
                labels.add(label.group(1));
            }
            if (name == null) {
                throw new IllegalArgumentException("A selector without a metric name: " + expression);
            }
            selected.computeIfAbsent(name, n -> new LinkedHashSet<>()).addAll(labels);
            selector.appendReplacement(rest, " ");
        }
        selector.appendTail(rest);
        String bare = GROUPING.matcher(rest).replaceAll(" ");
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String word = identifier.group(1);
            boolean call = identifier.group(2) != null;
            if (!call && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                selected.computeIfAbsent(word, n -> new LinkedHashSet<>());
            }
        }
        return selected;
    }

    /** The labels named in {@code by (...)}, {@code without (...)}, {@code on (...)} clauses. */
    static Set<String> groupingLabels(String expression) {
        Set<String> labels = new LinkedHashSet<>();
        Matcher grouping = GROUPING.matcher(withoutRanges(expression));
        while (grouping.find()) {
            for (String label : grouping.group(1).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.strip());
                }
            }
        }
        return labels;
    }

    /** Drops {@code [5m]}, {@code [$__rate_interval]} and numbers, which are not series. */
    private static String withoutRanges(String expression) {
        String expr = expression.replaceAll("\\[[^\\]]*]", " ");
        Matcher strings = STRING.matcher(expr);
        StringBuilder out = new StringBuilder();
        int last = 0;
        // Keep strings inside selectors (they are label values); elsewhere they are not series.
        while (strings.find()) {
            out.append(expr, last, strings.start()).append("\"\"");
            last = strings.end();
        }
        out.append(expr.substring(last));
        return out.toString().replaceAll("(?<![\\w])\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?(?![\\w])", " ");
    }
}
