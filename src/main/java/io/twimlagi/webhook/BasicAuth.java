package io.twimlagi.webhook;

import okhttp3.Authenticator;
import okhttp3.Challenge;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.Response;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP Basic authentication from a URL's user-info ({@code https://user:password@host/...}), as Twilio does it:
 * the first request goes without an {@code Authorization} header; a 401 with a {@code WWW-Authenticate: Basic}
 * challenge is answered by repeating the request with the credentials, and once a server accepted them, later
 * requests to it (same scheme, host, port and user) carry them from the start (Twilio "remains logged in").
 * Digest challenges are not answered (the 401 is then error 11200).
 */
public final class BasicAuth {
    /** Bounded: a server's name and user per entry; cleared when full (at worst one more challenge each). */
    private static final int MAX_REMEMBERED = 1024;
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();

    /**
     * For an OkHttp client that follows its own redirects ({@code <Play>} downloads): a 401 with a Basic challenge
     * to a request whose URL carries {@code user:password@} is answered once with them; a redirect's URL has no
     * user-info, so they never go to another server.
     */
    public static Authenticator fromUserInfo() {
        return (route, response) -> {
            HttpUrl url = response.request().url();
            if (!hasCredentials(url) || response.request().header("Authorization") != null
                    || !challenged(response)) {
                return null;
            }
            return response.request().newBuilder().header("Authorization", header(url)).build();
        };
    }

    static boolean hasCredentials(HttpUrl url) {
        return !url.username().isEmpty() || !url.password().isEmpty();
    }

    /** The {@code Authorization} header for the URL's user-info (decoded, UTF-8). */
    static String header(HttpUrl url) {
        return Credentials.basic(url.username(), url.password(), StandardCharsets.UTF_8);
    }

    /** Whether a 401 asks for Basic credentials. */
    static boolean challenged(Response response) {
        for (Challenge c : response.challenges()) {
            if ("Basic".equalsIgnoreCase(c.scheme())) return true;
        }
        return false;
    }

    /** Whether this server accepted the URL's credentials before: send them at once. */
    boolean accepted(HttpUrl url) {
        return accepted.contains(key(url));
    }

    void remember(HttpUrl url) {
        if (accepted.size() >= MAX_REMEMBERED) accepted.clear();
        accepted.add(key(url));
    }

    private static String key(HttpUrl url) {
        return url.scheme() + "://" + url.username() + "@" + url.host() + ":" + url.port();
    }
}
