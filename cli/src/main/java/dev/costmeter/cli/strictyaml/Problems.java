package dev.costmeter.cli.strictyaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The problems found in an operator's file, in the order they were found, each prefixed with where it
 * is ({@code policies[2].limits[0]: ...}); a problem of the whole file has no prefix. Collected rather
 * than thrown so that one run of a command shows the operator every mistake at once.
 */
public final class Problems {

    private final List<String> lines = new ArrayList<>();

    /** Records {@code problem} at {@code at}, a path such as {@code models[2].input_per_mtok} or "" for the file. */
    public void add(String at, String problem) {
        lines.add(at.isEmpty() ? problem : at + ": " + problem);
    }

    /** Records one problem per key of {@code unknownKeys} (may be null: none), the keys a spec record did not bind. */
    public void unknownKeys(String at, Map<String, ?> unknownKeys) {
        if (unknownKeys != null) {
            unknownKeys.keySet().forEach(key -> add(at, "unknown key '" + key + "'"));
        }
    }

    /** Records that the mapping at {@code at} lacks {@code field}. */
    public void missing(String at, String field) {
        add(at, "missing required field '" + field + "'");
    }

    /** Records that the mapping at {@code at} lacks {@code field} when its {@code value} is absent. */
    public void requirePresent(String at, String field, Object value) {
        if (value == null) {
            missing(at, field);
        }
    }

    /** How many problems have been found so far: lets a caller tell whether a part of the file added any. */
    public int count() {
        return lines.size();
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    /** Every problem, one line each. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** {@code at.field}, or {@code field} at the top of the file. */
    public static String at(String at, String field) {
        return at.isEmpty() ? field : at + "." + field;
    }

    /** {@code at[index]}. */
    public static String at(String at, int index) {
        return at + "[" + index + "]";
    }
}
