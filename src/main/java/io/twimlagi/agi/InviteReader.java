package io.twimlagi.agi;

import io.twimlagi.sip.SipHeaders;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.sip.SipUri;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the INVITE through chan_pjsip's dialplan functions in as few AGI round trips as possible: one
 * {@code GET FULL VARIABLE} for the URIs, Call-ID, source address and the list of X- header names, one more for
 * all X- header values. Header names are checked as SIP tokens before they enter an expression; when a value
 * contains the separator, the fields are read one by one instead.
 */
final class InviteReader {
    static final String SEP = "\u001e|\u001e";
    private static final String[] BASIC = {
        "CHANNEL(pjsip,request_uri)", "CHANNEL(pjsip,remote_uri)", "CHANNEL(pjsip,call-id)",
        "CHANNEL(pjsip,remote_addr)", "PJSIP_HEADERS(X-)", "PJSIP_HEADERS(User-to-User)"
    };

    private InviteReader() {
    }

    static SipInvite read(AgiCall call) {
        String[] basic = readAll(call, List.of(BASIC));
        String requestUri = basic[0];
        Set<String> names = new LinkedHashSet<>();
        for (String list : new String[] {basic[4], basic[5]}) {
            for (String n : list.split(",")) {
                String name = n.trim();
                if (SipHeaders.isToken(name) && SipHeaders.isReported(name)) names.add(name);
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (!names.isEmpty()) {
            List<String> functions = new ArrayList<>();
            for (String n : names) functions.add("PJSIP_HEADER(read," + n + ")");
            String[] values = readAll(call, functions);
            int i = 0;
            for (String n : names) headers.put(n, values[i++]);
        }
        return new SipInvite(SipUri.normalize(requestUri), SipUri.normalize(basic[1]), SipUri.hostOf(requestUri),
                basic[2], SipUri.ipWithoutPort(basic[3]), headers);
    }

    /** Values of the given (trusted) function calls, "" for each that fails. */
    private static String[] readAll(AgiCall call, List<String> functions) {
        StringBuilder expr = new StringBuilder();
        for (String f : functions) {
            if (expr.length() > 0) expr.append(SEP);
            expr.append("${").append(f).append('}');
        }
        String joined = call.evaluate(expr.toString());
        String[] parts = joined == null ? new String[0] : joined.split(java.util.regex.Pattern.quote(SEP), -1);
        if (parts.length == functions.size()) return parts;
        String[] one = new String[functions.size()];
        for (int i = 0; i < one.length; i++) {
            String v = call.evaluate("${" + functions.get(i) + "}");
            one[i] = v == null ? "" : v;
        }
        return one;
    }
}
