package dev.costmeter.runtime.http;

import dev.costmeter.runtime.auth.Caller;
import dev.costmeter.runtime.query.QueryRouter;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request as a {@link JsonRoute} sees it: method, decoded path and segments, query
 * parameters, and who is calling ({@link #caller()}, with the {@code Authorization} header kept
 * only to pass it on when the query is forwarded to a peer, which checks it again).
 */
public final class Request {

    /** Query parameter by which a peer asks for an answer from this instance's own stores. */
    public static final String LOCAL_PARAM = "local";

    private final String method;
    private final String routePrefix;
    private final URI uri;
    private final List<String> segments;
    private final Map<String, List<String>> queryParams;
    private final Caller caller;
    private final String authorization;

    private Request(String method, String routePrefix, URI uri, Caller caller, String authorization) {
        this.method = Objects.requireNonNull(method, "method");
        this.routePrefix = Objects.requireNonNull(routePrefix, "routePrefix");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.segments = splitPath(uri.getRawPath()).stream().map(Request::decodePathSegment).toList();
        this.queryParams = parseQuery(uri.getRawQuery());
        this.caller = Objects.requireNonNull(caller, "caller");
        this.authorization = authorization;
    }

    /**
     * A request for {@code uri} (path and query) to the route registered at {@code routePrefix};
     * public so that route handlers can be unit-tested without HTTP.
     */
    public static Request of(String method, String routePrefix, URI uri) {
        return new Request(method, routePrefix, uri, Caller.unrestricted(), null);
    }

    /**
     * As {@link #of(String, String, URI)}, from {@code caller}, who sent {@code authorization}
     * (the raw header, null when none).
     */
    public static Request of(String method, String routePrefix, URI uri, Caller caller, String authorization) {
        return new Request(method, routePrefix, uri, caller, authorization);
    }

    /** Who is calling; {@link Caller#unrestricted()} when authentication is off. */
    public Caller caller() {
        return caller;
    }

    /** The {@code Authorization} header as received, to pass on to a peer; never log it. */
    public Optional<String> authorization() {
        return Optional.ofNullable(authorization);
    }

    /** The HTTP method, upper case. */
    public String method() {
        return method;
    }

    /** The decoded path, e.g. {@code /costs/tenant/acme}. */
    public String path() {
        return uri.getPath() == null ? "/" : uri.getPath();
    }

    /**
     * The non-empty path segments, each decoded on its own, e.g. {@code [costs, tenant, acme]};
     * an encoded slash stays inside its segment ({@code /prices/openai%2Fgpt-4o} gives
     * {@code [prices, openai/gpt-4o]}).
     */
    public List<String> segments() {
        return segments;
    }

    /** The segments after the route prefix: {@code [tenant, acme]} for the route {@code /costs}. */
    public List<String> routeSegments() {
        int skip = splitPath(routePrefix).size();
        return skip >= segments.size() ? List.of() : segments.subList(skip, segments.size());
    }

    /** Every query parameter, decoded, values in order of appearance. */
    public Map<String, List<String>> queryParams() {
        return queryParams;
    }

    /** The first value of query parameter {@code name}. */
    public Optional<String> query(String name) {
        List<String> values = queryParams.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Whether a peer asked for this instance's own answer ({@code local=true}): do not forward. */
    public boolean localOnly() {
        return query(LOCAL_PARAM).map("true"::equalsIgnoreCase).orElse(false);
    }

    /** The raw path and query, as received; what {@link QueryRouter#forward} takes. */
    public String pathAndQuery() {
        String rawPath = uri.getRawPath() == null ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? rawPath : rawPath + "?" + uri.getRawQuery();
    }

    @Override
    public String toString() {
        return method + " " + pathAndQuery();
    }

    private static List<String> splitPath(String path) {
        if (path == null) {
            return List.of();
        }
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return List.copyOf(parts);
    }

    private static Map<String, List<String>> parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        params.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(params);
    }

    private static String decodePathSegment(String raw) {
        // URLDecoder is for forms: keep '+' literal, as it is in a path.
        return decode(raw.replace("+", "%2B"));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed percent-encoding: " + s);
        }
    }
}
