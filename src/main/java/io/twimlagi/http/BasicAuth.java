package io.twimlagi.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/** HTTP Basic authentication with the AccountSid as user name and the AuthToken as password, as Twilio's API. */
public final class BasicAuth {
    static final String REALM = "twiml-agi";

    private final byte[] expectedHash;

    public BasicAuth(String accountSid, String authToken) {
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(authToken, "authToken");
        if (authToken.isEmpty()) throw new IllegalArgumentException("authToken is empty");
        expectedHash = sha256(accountSid + ":" + authToken);
    }

    /** Whether the {@code Authorization} header carries the credentials; compared in constant time. */
    public boolean accepts(String authorization) {
        if (authorization == null) return false;
        String header = authorization.strip();
        if (header.length() < 6 || !header.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) return false;
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(credentials), expectedHash);
    }

    /** The {@code WWW-Authenticate} value of a 401. */
    public static String challenge() {
        return "Basic realm=\"" + REALM + "\"";
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
