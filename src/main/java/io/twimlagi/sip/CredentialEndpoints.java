package io.twimlagi.sip;

import io.twimlagi.util.RealtimeForm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * PJSIP endpoints made at run time for {@code <Sip username="..." password="...">}: Asterisk keeps outbound
 * digest credentials on an endpoint ({@code outbound_auth}), so each distinct credential gets an endpoint
 * {@code twiml-auth-<hash>} and an auth object of the same id. Asterisk fetches both through its realtime
 * configuration (sorcery {@code realtime} wizard, res_config_curl: asterisk-conf/sorcery-twiml.conf) from our
 * HTTP endpoint. Only the ids of credentials in use are answered; at most {@link #MAX} are remembered.
 */
public final class CredentialEndpoints {
    static final int MAX = 1000;
    /** The prefix of every run-time endpoint id. */
    public static final String PREFIX = "twiml-auth-";

    private record Entry(Map<String, String> endpoint, Map<String, String> auth) {
    }

    private final Map<String, Entry> byId = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX;
        }
    };

    /**
     * The endpoint id for these credentials with these endpoint options (pjsip.conf names and values, already
     * validated by the config loader). {@code username}/{@code password}: no control characters, at most 256.
     *
     * @throws IllegalArgumentException for credentials that are not printable text
     */
    public synchronized String endpointFor(String username, String password, Map<String, String> options) {
        check(username, "username");
        check(password, "password");
        String id = PREFIX + hash(username + "\n" + password + "\n" + options);
        Map<String, String> endpoint = new LinkedHashMap<>();
        endpoint.put("id", id);
        endpoint.putAll(options);
        endpoint.put("outbound_auth", id);
        // outbound only: no request is ever identified as this endpoint, and if one were it would go nowhere
        endpoint.put("identify_by", "ip");
        endpoint.put("context", "twiml-agi-outbound-only");
        Map<String, String> auth = new LinkedHashMap<>();
        auth.put("id", id);
        auth.put("auth_type", "userpass");
        auth.put("username", username);
        auth.put("password", password);
        byId.put(id, new Entry(endpoint, auth));
        return id;
    }

    /**
     * The reply to res_config_curl's {@code /single} request for {@code ps_endpoints} or {@code ps_auths} (form
     * {@code id=<id>}): one line of URL-encoded fields, or empty (no such object: Asterisk looks further).
     */
    public String realtimeReply(String family, String requestForm) {
        String id = RealtimeForm.value(requestForm, "id");
        if (id == null || !id.startsWith(PREFIX)) return "";
        Entry e;
        synchronized (this) {
            e = byId.get(id);
        }
        if (e == null) return "";
        Map<String, String> fields = family.equals("ps_endpoints") ? e.endpoint : family.equals("ps_auths")
                ? e.auth : null;
        if (fields == null) return "";
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> {
            if (b.length() > 0) b.append('&');
            b.append(RealtimeForm.encode(k)).append('=')
                    .append(RealtimeForm.encode(v));
        });
        return b.append('\n').toString();
    }

    private static void check(String s, String what) {
        if (s == null || s.isEmpty() || s.length() > 256 || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("invalid SIP " + what);
        }
    }

    /** A keyed hash (HMAC-SHA-256 with a per-process random key): the id, which is logged, reveals nothing. */
    private String hash(String s) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(s.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private final byte[] key = new byte[32];

    {
        new SecureRandom().nextBytes(key);
    }
}
