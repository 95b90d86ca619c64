package io.twimlagi.agi;

import io.twimlagi.sip.SipHeaders;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.sip.SipUri;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the INVITE through chan_pjsip's dialplan functions in one AGI round trip: a single
 * {@code GET FULL VARIABLE} for the URIs, Call-ID, source address, the PJSIP endpoint that Asterisk identified
 * the call with ({@code CHANNEL(endpoint)}), the list of X- header names and the first
 * {@value #PREFETCH} X- header values by position; only more X- headers or a User-to-User header cost a second
 * one. No text from the INVITE ever enters an expression (values are read by position, not by name). When a
 * value contains the separator, the fields are read one by one instead.
 */
final class InviteReader {
    private static final Logger log = LoggerFactory.getLogger(InviteReader.class);
    static final String SEP = "\u001e|\u001e";
    /** X- header values read by position in the first round trip; more need a second one. */
    static final int PREFETCH = 8;
    /** Where the prefetched X- header values start in the first round trip's answer. */
    private static final int X_VALUES = 7;
    private static final List<String> BASIC = basic();
    /** X- headers kept per INVITE (more is not a real call's; each costs a read); the rest are dropped, logged. */
    static final int MAX_X_HEADERS = 100;
    /** X- header values read per GET FULL VARIABLE: the command stays far below Asterisk's 8 KB line. */
    static final int READ_CHUNK = 24;

    private static List<String> basic() {
        List<String> f = new ArrayList<>(List.of("CHANNEL(pjsip,request_uri)", "CHANNEL(pjsip,remote_uri)",
                "CHANNEL(pjsip,call-id)", "CHANNEL(pjsip,remote_addr)", "PJSIP_HEADERS(X-)",
                "PJSIP_HEADERS(User-to-User)", "CHANNEL(endpoint)"));
        for (int i = 1; i <= PREFETCH; i++) f.add("PJSIP_HEADER(read,X-*," + i + ")");
        return List.copyOf(f);
    }

    private InviteReader() {
    }

    static SipInvite read(AgiCall call) {
        String[] basic = readAll(call, BASIC);
        String requestUri = basic[0];
        // PJSIP_HEADERS lists every X- header in message order, repeats included; PJSIP_HEADER(read,X-*,n)
        // reads the n-th of them, so position n pairs a name with its value (checked on Asterisk 22)
        List<String> xNames = basic[4].isEmpty() ? List.of() : List.of(basic[4].split(","));
        if (xNames.size() > MAX_X_HEADERS) {
            log.warn("INVITE {} has {} X- headers: the first {} are read", basic[2], xNames.size(), MAX_X_HEADERS);
            xNames = xNames.subList(0, MAX_X_HEADERS);
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < Math.min(PREFETCH, xNames.size()); i++) values.add(basic[X_VALUES + i]);
        for (int from = PREFETCH + 1; from <= xNames.size(); from += READ_CHUNK) {
            List<String> chunk = new ArrayList<>();
            for (int n = from; n < from + READ_CHUNK && n <= xNames.size(); n++) {
                chunk.add("PJSIP_HEADER(read,X-*," + n + ")");
            }
            values.addAll(List.of(readAll(call, chunk)));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < xNames.size(); i++) {
            String name = xNames.get(i).trim();
            if (SipHeaders.isToken(name) && SipHeaders.isReported(name)) headers.putIfAbsent(name, values.get(i));
        }
        if (!basic[5].isEmpty()) { // User-to-User: rare, read by name
            headers.put("User-to-User", readAll(call, List.of("PJSIP_HEADER(read,User-to-User)"))[0]);
        }
        return new SipInvite(SipUri.normalize(requestUri), SipUri.normalize(basic[1]), SipUri.hostOf(requestUri),
                basic[2], SipUri.ipWithoutPort(basic[3]), headers, basic[6].strip());
    }

    /** Values of the given (trusted) function calls, "" for each that fails. */
    private static String[] readAll(AgiCall call, List<String> functions) {
        return values(call::evaluate, functions.stream().map(f -> "${" + f + "}").toList());
    }

    /**
     * The values of (trusted) expressions in one GET FULL VARIABLE joined by {@link #SEP}; when the answer does not
     * split into as many values (a value holding the separator), one read each. "" for a read that fails.
     */
    static String[] values(Function<String, String> evaluate, List<String> expressions) {
        String joined = evaluate.apply(String.join(SEP, expressions));
        String[] parts = joined == null ? new String[0] : joined.split(Pattern.quote(SEP), -1);
        if (parts.length == expressions.size()) return parts;
        String[] one = new String[expressions.size()];
        for (int i = 0; i < one.length; i++) {
            String v = evaluate.apply(expressions.get(i));
            one[i] = v == null ? "" : v;
        }
        return one;
    }
}
