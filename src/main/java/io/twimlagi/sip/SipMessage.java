package io.twimlagi.sip;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parts of a captured SIP message that SipCapture uses. {@code status} is 0 for a request, {@code method} null
 * for a response. {@code xHeaders}: a final response's X- and User-to-User headers (first value per name, at most
 * {@value #MAX_HEADERS}, values up to {@value #MAX_VALUE} characters). {@code sipfrag}: the status code in the
 * {@code message/sipfrag} body of a NOTIFY ({@code SIP/2.0 486 Busy Here} → 486), 0 otherwise.
 * {@code terminated}: a {@code Subscription-State: terminated} header.
 */
record SipMessage(int status, String method, String callId, String cseqMethod, String event, boolean terminated,
                  int sipfrag, Map<String, String> xHeaders) {
    static final int MAX_HEADERS = 32;
    static final int MAX_VALUE = 1024;

    /** Null when this is not a SIP message. */
    static SipMessage parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String[] lines = head.split("\r\n");
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
        String cseqMethod = null;
        String event = null;
        boolean terminated = false;
        Map<String, String> x = new LinkedHashMap<>();
        for (int n = 1; n < lines.length; n++) {
            String line = lines[n];
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') continue; // folding: not used
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Call-ID") || name.equals("i")) {
                callId = value;
            } else if (name.equalsIgnoreCase("CSeq")) {
                String[] cs = value.split("\\s+");
                cseqMethod = cs.length == 2 ? cs[1] : null;
            } else if (name.equalsIgnoreCase("Event") || name.equals("o")) {
                int semi = value.indexOf(';');
                event = (semi < 0 ? value : value.substring(0, semi)).strip();
            } else if (name.equalsIgnoreCase("Subscription-State")) {
                terminated = value.regionMatches(true, 0, "terminated", 0, 10);
            } else if (status >= 200 && SipHeaders.isReported(name) && SipHeaders.isToken(name)
                    && x.size() < MAX_HEADERS && value.length() <= MAX_VALUE) {
                x.putIfAbsent(name, value);
            }
        }
        int sipfrag = 0;
        if ("NOTIFY".equals(method) && end >= 0) {
            String body = text.substring(end + 4).strip();
            int eol = body.indexOf('\r');
            sipfrag = statusOf(eol < 0 ? body : body.substring(0, eol));
        }
        return new SipMessage(status, method, callId, cseqMethod, event, terminated, sipfrag,
                x.isEmpty() ? Map.of() : Collections.unmodifiableMap(x));
    }

    /** {@code SIP/2.0 486 Busy Here} → 486; 0 when it is not a status line. */
    static int statusOf(String line) {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].equals("SIP/2.0") || !parts[1].matches("[1-6]\\d\\d")) return 0;
        return Integer.parseInt(parts[1]);
    }
}
