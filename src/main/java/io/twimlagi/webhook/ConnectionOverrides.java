package io.twimlagi.webhook;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Twilio's connection-override fragment ({@code #ct=1000&rt=2000&tt=3000&rc=2&rp=ct,5xx}, see twiml.md §1.2).
 * ct: connect timeout ms 100..10000; rt: read timeout ms 100..15000; tt: total time ms 100..15000 (retries and
 * redirects included); rc: retries 0..5; rp: comma list of 4xx, 5xx, ct, rt, all. A value that is not a number, is
 * out of range or unknown is ignored (the default applies), as are other keys such as {@code e} and {@code sni}.
 */
record ConnectionOverrides(int connectMs, int readMs, int totalMs, int retries, Set<RetryOn> retryOn) {

    enum RetryOn { HTTP_4XX, HTTP_5XX, CONNECT, READ }

    static final int DEFAULT_RETRIES = 1;

    /** The defaults: the client's timeouts, one retry on connect failure. */
    static ConnectionOverrides defaults(int connectMs, int totalMs) {
        return new ConnectionOverrides(connectMs, totalMs, totalMs, DEFAULT_RETRIES, EnumSet.of(RetryOn.CONNECT));
    }

    /** Applies {@code fragment} (without '#', may be null) over {@code base}. */
    static ConnectionOverrides parse(String fragment, ConnectionOverrides base) {
        if (fragment == null || fragment.isBlank()) return base;
        int ct = base.connectMs, rt = base.readMs, tt = base.totalMs, rc = base.retries;
        Set<RetryOn> rp = base.retryOn;
        for (String pair : fragment.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) continue;
            String key = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = pair.substring(eq + 1).trim();
            switch (key) {
                case "ct" -> ct = number(value, 100, 10_000, ct);
                case "rt" -> rt = number(value, 100, 15_000, rt);
                case "tt" -> tt = number(value, 100, 15_000, tt);
                case "rc" -> rc = number(value, 0, 5, rc);
                case "rp" -> rp = policy(value, rp);
                default -> { /* e=, sni=, unknown: not applicable */ }
            }
        }
        return new ConnectionOverrides(ct, rt, tt, rc, rp);
    }

    private static int number(String text, int min, int max, int dflt) {
        try {
            int n = Integer.parseInt(text);
            return n < min || n > max ? dflt : n;
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static Set<RetryOn> policy(String text, Set<RetryOn> dflt) {
        EnumSet<RetryOn> set = EnumSet.noneOf(RetryOn.class);
        for (String p : text.split(",")) {
            switch (p.trim().toLowerCase(Locale.ROOT)) {
                case "4xx" -> set.add(RetryOn.HTTP_4XX);
                case "5xx" -> set.add(RetryOn.HTTP_5XX);
                case "ct" -> set.add(RetryOn.CONNECT);
                case "rt" -> set.add(RetryOn.READ);
                case "all" -> set.addAll(EnumSet.allOf(RetryOn.class));
                default -> { }
            }
        }
        return set.isEmpty() ? dflt : set;
    }
}
