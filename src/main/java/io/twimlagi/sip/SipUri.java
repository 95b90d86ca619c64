package io.twimlagi.sip;

import java.util.Locale;

/** Just enough SIP URI handling to normalise what Asterisk reports into Twilio's parameter form. */
public final class SipUri {
    private SipUri() {
    }

    /**
     * {@code sip:user@host[:port][;params][?headers]} (optionally in {@code <...>}) → {@code sip:user@host}.
     * IPv6 hosts keep their brackets. Text that is not a sip/sips/tel URI is returned trimmed.
     */
    public static String normalize(String uri) {
        if (uri == null) return "";
        String s = unescape(uri.trim());
        int lt = s.indexOf('<');
        if (lt >= 0) {
            int gt = s.indexOf('>', lt);
            s = gt > lt ? s.substring(lt + 1, gt) : s.substring(lt + 1);
        }
        int colon = s.indexOf(':');
        if (colon < 0) return s;
        String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("sip") && !scheme.equals("sips") && !scheme.equals("tel")) return s;
        String rest = s.substring(colon + 1);
        int at = rest.lastIndexOf('@');
        String user = at >= 0 ? rest.substring(0, at) : "";
        String hostPart = at >= 0 ? rest.substring(at + 1) : rest;
        if (scheme.equals("tel")) {
            return "tel:" + cut(rest, ";?");
        }
        user = cut(user, ";?"); // user params (;phone-context...) are dropped too
        String host = host(hostPart);
        return scheme + ":" + (user.isEmpty() ? "" : user + "@") + host;
    }

    /** The host of a URI (or of a bare {@code host[:port][;params]}), lower-case, IPv6 in brackets. */
    public static String hostOf(String uri) {
        String n = normalize(uri);
        int colon = n.indexOf(':');
        String rest = colon >= 0 && (n.startsWith("sip") || n.startsWith("tel")) ? n.substring(colon + 1) : n;
        int at = rest.lastIndexOf('@');
        return host(at >= 0 ? rest.substring(at + 1) : rest);
    }

    /** The user part of a URI, or "" when it has none. */
    public static String userOf(String uri) {
        String n = normalize(uri);
        int colon = n.indexOf(':');
        int at = n.lastIndexOf('@');
        return colon >= 0 && at > colon ? n.substring(colon + 1, at) : "";
    }

    /** {@code 127.0.0.1:5080} → {@code 127.0.0.1}; {@code [::1]:5060} → {@code ::1}. */
    public static String ipWithoutPort(String address) {
        if (address == null) return "";
        String a = address.trim();
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            return end > 0 ? a.substring(1, end) : a.substring(1);
        }
        int first = a.indexOf(':');
        if (first >= 0 && first == a.lastIndexOf(':')) return a.substring(0, first); // v4:port
        return a; // bare v4 or bare v6
    }

    private static String host(String hostPart) {
        String h = cut(hostPart, ";?");
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return (end > 0 ? h.substring(0, end + 1) : h).toLowerCase(Locale.ROOT);
        }
        int colon = h.indexOf(':');
        return (colon >= 0 ? h.substring(0, colon) : h).toLowerCase(Locale.ROOT);
    }

    private static String cut(String s, String stops) {
        for (int i = 0; i < s.length(); i++) {
            if (stops.indexOf(s.charAt(i)) >= 0) return s.substring(0, i);
        }
        return s;
    }

    /** Asterisk prints URIs through ast_escape_quoted: {@code \"} and {@code \\} come back escaped. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) c = s.charAt(++i);
            b.append(c);
        }
        return b.toString();
    }
}
