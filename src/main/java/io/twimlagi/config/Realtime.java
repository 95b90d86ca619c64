package io.twimlagi.config;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where Asterisk's realtime lookups (res_config_curl: run-time music-on-hold classes and PJSIP endpoints/auths)
 * reach the server: {@code realtime_bind}, a loopback address, and {@code realtime_secret}, the path segment
 * that Asterisk's extconfig.conf URLs carry ({@code http://127.0.0.1:8090/realtime/<secret>/musiconhold}).
 * {@link #toString} never prints the secret.
 */
public record Realtime(InetSocketAddress bind, String secret) {
    /** {@code realtime_bind}'s default. */
    public static final String DEFAULT_BIND = "127.0.0.1:8090";
    /** URL-safe, and safe in an extconfig.conf line (no {@code ;} or {@code ,}). */
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{16,128}");

    public Realtime {
        Objects.requireNonNull(bind, "bind");
        String problem = secretProblem(secret);
        if (problem != null) throw new IllegalArgumentException("realtime_secret " + problem);
    }

    /** Null when {@code secret} is acceptable, else why not. */
    static String secretProblem(String secret) {
        if (secret == null || !SECRET.matcher(secret).matches()) {
            return "must be 16 to 128 letters, digits, '-' or '_' (e.g. the output of: openssl rand -hex 24)";
        }
        return null;
    }

    @Override
    public String toString() {
        return "Realtime[bind=" + bind + ", secret=***]";
    }
}
