package io.twimlagi.sip;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parts of a captured SIP message that SipCapture uses. {@code status} is 0 for a request, {@code method} null
 * for a response; {@code cseq} the CSeq number. {@code xHeaders}: a final response's X- headers, in message order,
 * the first value per name (a name whose first value is dropped is not taken from a later one), values without
 * control characters, at most {@value #MAX_HEADERS} headers and {@value #MAX_HEADER_BYTES} characters in all.
 * {@code event}/{@code eventId}: the Event header's package and id parameter; {@code terminated}: a
 * {@code Subscription-State: terminated}; {@code referSubFalse}: {@code Refer-Sub: false} (RFC 4488);
 * {@code sipfrag}: the status code in the {@code message/sipfrag} body of a NOTIFY ({@code SIP/2.0 486 Busy Here}
 * → 486), 0 otherwise.
 */
record SipMessage(int status, String method, String callId, long cseq, String cseqMethod, String event,
                  String eventId, boolean terminated, boolean referSubFalse, int sipfrag,
                  Map<String, String> xHeaders) {
    static final int MAX_HEADERS = 32;
    static final int MAX_HEADER_BYTES = 4096;
    /** Longer Call-IDs are not ours (Asterisk's are UUIDs, callers' rarely over 100). */
    static final int MAX_CALL_ID = 256;

    /** Null when this is not a SIP message we can use. */
    static SipMessage parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        int bodyStart = end + 4;
        if (end < 0) {
            end = text.indexOf("\n\n");
            bodyStart = end + 2;
        }
        String head = end < 0 ? text : text.substring(0, end);
        String[] lines = head.split("\r?\n");
        if (lines.length == 0) return null;
        int status = 0;
        String method = null;
        if (lines[0].startsWith("SIP/2.0 ")) {
            status = statusOf(lines[0]);
            if (status == 0) return null;
        } else {
            String[] parts = lines[0].split(" ");
            if (parts.length != 3 || !parts[2].equals("SIP/2.0") || !SipHeaders.isToken(parts[0])) return null;
            method = parts[0];
        }
        String callId = null;
        long cseq = -1;
        String cseqMethod = null;
        String event = null;
        String eventId = null;
        boolean terminated = false;
        boolean referSubFalse = false;
        Map<String, String> x = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        int bytes = 0;
        for (int n = 1; n < lines.length; n++) {
            String line = lines[n];
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') continue; // folding: not used
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Call-ID") || name.equalsIgnoreCase("i")) {
                callId = value;
            } else if (name.equalsIgnoreCase("CSeq")) {
                String[] cs = value.split("\\s+");
                if (cs.length == 2 && cs[0].matches("\\d{1,10}")) {
                    cseq = Long.parseLong(cs[0]);
                    cseqMethod = cs[1];
                }
            } else if (name.equalsIgnoreCase("Event") || name.equalsIgnoreCase("o")) {
                String[] params = value.split(";");
                event = params[0].strip();
                for (int p = 1; p < params.length; p++) {
                    String param = params[p].strip();
                    if (param.regionMatches(true, 0, "id=", 0, 3)) eventId = param.substring(3).strip();
                }
            } else if (name.equalsIgnoreCase("Subscription-State")) {
                terminated = value.regionMatches(true, 0, "terminated", 0, 10);
            } else if (name.equalsIgnoreCase("Refer-Sub")) {
                referSubFalse = value.equalsIgnoreCase("false");
            } else if (status >= 200 && name.regionMatches(true, 0, "X-", 0, 2) && SipHeaders.isToken(name)
                    && seen.add(name.toLowerCase(Locale.ROOT))) {
                int size = name.length() + value.length();
                if (x.size() < MAX_HEADERS && bytes + size <= MAX_HEADER_BYTES && !hasControl(value)) {
                    x.put(name, value);
                    bytes += size;
                }
            }
        }
        if (callId == null || callId.isEmpty() || callId.length() > MAX_CALL_ID || cseqMethod == null) return null;
        int sipfrag = 0;
        if ("NOTIFY".equals(method) && end >= 0 && bodyStart <= text.length()) {
            String body = text.substring(bodyStart).strip();
            int eol = body.indexOf('\n');
            sipfrag = statusOf((eol < 0 ? body : body.substring(0, eol)).strip());
        }
        return new SipMessage(status, method, callId, cseq, cseqMethod, event, eventId, terminated, referSubFalse,
                sipfrag, x.isEmpty() ? Map.of() : Collections.unmodifiableMap(x));
    }

    private static boolean hasControl(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
        }
        return false;
    }

    /** {@code SIP/2.0 486 Busy Here} → 486; 0 when it is not a status line. */
    static int statusOf(String line) {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].equals("SIP/2.0") || !parts[1].matches("[1-6]\\d\\d")) return 0;
        return Integer.parseInt(parts[1]);
    }
}
