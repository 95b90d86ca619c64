package io.twimlagi.sip;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validates a {@code <Dial><Sip>} URI the way Twilio does and splits off its header part:
 * {@code sip:bob@host;transport=tcp?X-A=1&X-B=a%3Db} → URI {@code sip:bob@host;transport=tcp} and headers
 * {@code X-A: 1}, {@code X-B: a=b} (values percent-decoded as UTF-8).
 * <ul>
 *   <li>scheme {@code sip:} or {@code sips:}, a host, the URI without its header part shorter than 255 characters
 *       (13243);</li>
 *   <li>the URI part only uses characters that cannot split or escape an Asterisk dial string (no {@code & , / ( ) $ "}
 *       spaces or controls; 13243);</li>
 *   <li>the header part ({@code ?...}) shorter than 1024 characters (21227), {@code name=value} pairs joined by
 *       {@code &}; names are SIP tokens (21228); only {@code X-} headers and User-to-User, Remote-Party-ID,
 *       P-Preferred-Identity, P-Called-Party-ID (13252); never an {@code X-Twilio} prefix (32113); decoded values
 *       without control characters such as CR/LF (21229).</li>
 * </ul>
 */
public final class SipUriHeaders {
    /** Twilio: the URI must be shorter than 255 characters. */
    public static final int MAX_URI = 254;
    /** Twilio: the header part must be shorter than 1024 characters. */
    public static final int MAX_HEADER_PART = 1023;
    private static final Set<String> NON_X_ALLOWED = Set.of("user-to-user", "remote-party-id",
            "p-preferred-identity", "p-called-party-id");
    /** RFC 3261 URI characters minus those that mean something to Asterisk's Dial ({@code & , / ( ) | $ " \}). */
    private static final String URI_PUNCTUATION = "-_.!~*'%+=;:@[]";

    private SipUriHeaders() {
    }

    /** A rejected URI: Twilio's error code and a message for the log. */
    public static final class Invalid extends Exception {
        private final int code;

        public Invalid(int code, String message) {
            super(message);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** A valid URI without its header part, and its headers in order (names as written). */
    public record Parsed(String uri, Map<String, String> headers) {
        public Parsed {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }
    }

    public static Parsed parse(String text) throws Invalid {
        if (text == null || text.isBlank()) throw new Invalid(13243, "empty SIP URI");
        String s = text.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("sip:") && !lower.startsWith("sips:")) {
            throw new Invalid(13243, "not a sip: or sips: URI: " + printable(s));
        }
        int q = s.indexOf('?');
        String uri = q < 0 ? s : s.substring(0, q);
        String headerPart = q < 0 ? "" : s.substring(q + 1);
        if (uri.length() > MAX_URI) throw new Invalid(13243, "SIP URI is " + uri.length() + " characters (limit 254)");
        String rest = uri.substring(uri.indexOf(':') + 1);
        if (rest.isEmpty() || rest.endsWith("@") || rest.startsWith(";")) {
            throw new Invalid(13243, "SIP URI without a host: " + printable(s));
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || URI_PUNCTUATION.indexOf(c) >= 0;
            if (!ok) throw new Invalid(13243, "character '" + printable(String.valueOf(c)) + "' not allowed in SIP URI "
                    + printable(uri));
        }
        if (headerPart.length() > MAX_HEADER_PART) {
            throw new Invalid(21227, "SIP URI header part is " + headerPart.length() + " characters (limit 1023)");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (!headerPart.isEmpty()) {
            for (String pair : headerPart.split("&", -1)) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                headers.put(checkName(decode(name)), checkValue(name, value));
            }
        }
        return new Parsed(uri, headers);
    }

    /** Checks one header (e.g. from {@code <Headers><Header name value/>}); returns the name. */
    public static String checkName(String name) throws Invalid {
        if (!SipHeaders.isToken(name)) throw new Invalid(21228, "SIP header name is not a token: " + printable(name));
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("x-twilio")) throw new Invalid(32113, "SIP header " + name + " is reserved (X-Twilio)");
        if (!lower.startsWith("x-") && !NON_X_ALLOWED.contains(lower)) {
            throw new Invalid(13252, "SIP header " + name + " is not allowed (only X- headers, User-to-User, "
                    + "Remote-Party-ID, P-Preferred-Identity, P-Called-Party-ID)");
        }
        return name;
    }

    /** A header value without control characters (CR, LF, NUL...); returns it. */
    public static String checkValue(String name, String value) throws Invalid {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                throw new Invalid(21229, "SIP header " + name + " has a control character in its value");
            }
        }
        if (value.length() > MAX_HEADER_PART) throw new Invalid(13253, "SIP header " + name + " is too long");
        return value;
    }

    /** Percent-decoding as UTF-8 ({@code +} stays a plus, as in URIs); a malformed escape is error 21228. */
    static String decode(String s) throws Invalid {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new Invalid(21228, "malformed %-escape in SIP URI header: " + printable(s));
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw new Invalid(21228, "malformed %-escape in SIP URI header: " + printable(s));
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new Invalid(21228, "SIP URI header is not UTF-8 after %-decoding: " + printable(s));
        }
    }

    /** For log messages: control characters shown as \\uXXXX, at most 300 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 300; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", (int) c)); else b.append(c);
        }
        return b.toString();
    }
}
