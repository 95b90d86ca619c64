package io.twimlagi.stream;

import io.twimlagi.engine.CallContext;
import io.twimlagi.webhook.UrlPolicy;
import okhttp3.HttpUrl;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * {@code <Stream url>} as Twilio takes it: relative to the document (an http(s) document's relative URL becomes
 * ws(s)), {@code wss://} or {@code ws://} only (31922), a host required (31923), and no query string: Twilio
 * removes it (pass values with {@code <Parameter>}), so do we, with a warning.
 */
final class StreamUrls {
    /** A URL Twilio would not open. */
    static final class Refused extends Exception {
        final int code;

        Refused(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** The URL to open and whether a query string was removed. */
    record Checked(String url, boolean queryRemoved) {
    }

    private StreamUrls() {
    }

    static Checked check(String written, CallContext ctx) throws Refused {
        if (written == null || written.isBlank()) throw new Refused(31923, "<Stream> has no url");
        String resolved = ctx.resolve(written.trim());
        if (UrlPolicy.isRefused(resolved)) {
            throw new Refused(31922, "\"" + UrlPolicy.original(resolved) + "\" is not a ws:// or wss:// URL");
        }
        URI u;
        try {
            u = new URI(resolved);
        } catch (URISyntaxException e) {
            throw new Refused(31923, "\"" + resolved + "\" is not a URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        scheme = switch (scheme) {
            case "http", "ws" -> "ws";
            case "https", "wss" -> "wss";
            default -> throw new Refused(31922, "\"" + resolved + "\" is not a ws:// or wss:// URL");
        };
        if (u.getHost() == null || u.getHost().isEmpty()) throw new Refused(31923, "\"" + resolved + "\" has no host");
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        String url = scheme + "://" + u.getRawAuthority() + path;
        // what java.net.URI takes but OkHttp cannot open (a port over 65535, port 0, a bad host): refused here, so
        // the stream fails as Twilio's does instead of the WebSocket client throwing in the middle of the verb
        HttpUrl web = HttpUrl.parse((scheme.equals("ws") ? "http" : "https") + url.substring(scheme.length()));
        if (web == null || u.getPort() == 0) throw new Refused(31923, "\"" + resolved + "\" is not a URL we can open");
        return new Checked(url, u.getRawQuery() != null);
    }
}
