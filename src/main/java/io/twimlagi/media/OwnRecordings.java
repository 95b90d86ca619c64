package io.twimlagi.media;

import okhttp3.HttpUrl;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our own recording URLs ({@code {public_url}/Recordings/RE…} and
 * {@code {public_url}/2010-04-01/Accounts/{AccountSid}/Recordings/RE…}, with or without {@code .wav}/{@code .mp3}),
 * which an app may {@code <Play>} back. They are played from disk when the recording is here (no request to our
 * own HTTP server, which outgoing requests may not reach); otherwise fetched with the account's credentials, as
 * Twilio plays its own recordings. Only these exact paths get the credentials: the URL is compared after OkHttp's
 * normalisation ({@code .}/{@code ..} segments, also percent-encoded ones, removed) and no other percent-encoding
 * is accepted in the path, so {@code /Recordings/../metrics} or {@code /Recordings%2F..} never do.
 *
 * @param publicUrl  {@code public_url}
 * @param accountSid the Basic-auth user name, and the only AccountSid of the REST-style path
 * @param authToken  the Basic-auth password
 * @param localWav   the WAV file of a recording kept by this server, by RecordingSid
 */
public record OwnRecordings(String publicUrl, String accountSid, String authToken,
                            Function<String, Optional<Path>> localWav) {
    private static final Pattern SHORT_PATH = Pattern.compile("/Recordings/(RE[0-9a-fA-F]{32})(?:\\.wav|\\.mp3)?");
    private static final Pattern REST_PATH = Pattern.compile(
            "/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Recordings/(RE[0-9a-fA-F]{32})(?:\\.wav|\\.mp3)?");

    /** Fetched over HTTP only (no local copies: tests). */
    public OwnRecordings(String publicUrl, String accountSid, String authToken) {
        this(publicUrl, accountSid, authToken, sid -> Optional.empty());
    }

    /** The RecordingSid when {@code url} is one of our recording URLs, else empty. */
    public Optional<String> recordingSid(String url) {
        HttpUrl u = url == null ? null : HttpUrl.parse(url.trim());
        HttpUrl base = HttpUrl.parse(publicUrl);
        if (u == null || base == null) return Optional.empty();
        if (!u.scheme().equals(base.scheme()) || !u.host().equals(base.host()) || u.port() != base.port()
                || !u.username().isEmpty() || !u.password().isEmpty()) {
            return Optional.empty();
        }
        String prefix = base.encodedPath().endsWith("/")
                ? base.encodedPath().substring(0, base.encodedPath().length() - 1) : base.encodedPath();
        String path = u.encodedPath();
        if (path.indexOf('%') >= 0 || !path.startsWith(prefix + "/")) return Optional.empty();
        String rest = path.substring(prefix.length());
        Matcher m = SHORT_PATH.matcher(rest);
        if (m.matches()) return Optional.of(m.group(1));
        m = REST_PATH.matcher(rest);
        if (m.matches() && m.group(1).equals(accountSid)) return Optional.of(m.group(2));
        return Optional.empty();
    }

    /** Never prints the auth token. */
    @Override
    public String toString() {
        return "OwnRecordings[publicUrl=" + publicUrl + ", accountSid=" + accountSid + "]";
    }
}
