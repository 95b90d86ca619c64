package io.twimlagi.http;

import org.eclipse.jetty.http.pathmap.MatchedResource;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Path patterns to {@link Route}s: an exact path ({@code /health}), a prefix ({@code /Recordings/*}) or a URI
 * template whose {@code {name}} segments become path parameters
 * ({@code /2010-04-01/Accounts/{AccountSid}/Calls/{file}}). An exact path wins over a template, a template over a
 * prefix, and the longer prefix over the shorter. Routes may be added while the server runs.
 */
public final class Routes {
    /** Copied on every add, so requests read it without locking. */
    private volatile PathMappings<Route> mappings = new PathMappings<>();

    /** A matched route, its pattern (safe to log: no secret or SID in it) and its path parameters. */
    public record Match(Route route, String pattern, Map<String, String> params) {
        public Match {
            params = Map.copyOf(params);
        }
    }

    public synchronized Routes add(String pattern, Route route) {
        Objects.requireNonNull(route, "route");
        PathSpec spec = pattern.contains("{") ? new UriTemplatePathSpec(pattern) : new ServletPathSpec(pattern);
        PathMappings<Route> next = new PathMappings<>();
        mappings.getMappings().forEach(m -> next.put(m.getPathSpec(), m.getResource()));
        if (next.put(spec, route) != null) throw new IllegalArgumentException("route " + pattern + " exists already");
        mappings = next;
        return this;
    }

    /** The route for a decoded path. */
    public Optional<Match> match(String path) {
        MatchedResource<Route> m = mappings.getMatched(path);
        if (m == null) return Optional.empty();
        PathSpec spec = m.getPathSpec();
        Map<String, String> params = spec instanceof UriTemplatePathSpec t ? t.getPathParams(path) : Map.of();
        return Optional.of(new Match(m.getResource(), spec.getDeclaration(), params == null ? Map.of() : params));
    }
}
