package io.twimlagi.agi;

import io.twimlagi.call.DialLeg;
import io.twimlagi.call.DialRequest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A REST call's Dial placed by the dialplan itself, with no FastAGI hop before the INVITE: the channel variables
 * its Originate carries for {@code [twiml-outbound-dial]} (dialplan/twiml.conf), which Dials with them; how the
 * Dial ended is read afterwards by {@link AgiDialer#dialed} (AGI {@value #SCRIPT}, run in that context's
 * {@code h} extension). The variables:
 * <ul>
 *   <li>{@code TWIML_CALL_SID}: the CallSid, for the report ({@code h} has no {@code ${EXTEN}} of the call);</li>
 *   <li>{@code TWIML_DIAL}: the Dial application's whole argument string, built and escaped as {@link AgiDialer}
 *       builds its {@code EXEC Dial} ({@link AgiDialer#dialArgs}): {@code Dial(${TWIML_DIAL})} parses it the
 *       same way, and a variable's value is never evaluated again, so no user text becomes an expression;</li>
 *   <li>{@code TWIML_CALLER_ID}: {@code CALLERID(num)} of the dialing half (the leg's From user);</li>
 *   <li>{@code TWIML_HEADERS}: how many URI headers; {@code TWIML_HEADER_NAME_<i>} (a SIP token) and
 *       {@code TWIML_HEADER_<i>} (the value, control characters removed), written with
 *       {@code Set(PJSIP_INHERITABLE_HEADER(add,<name>)=<value>)}, whose value is taken as it is.</li>
 * </ul>
 * Long values travel in up to {@value #VALUE_PARTS} variables ({@code NAME}, {@code NAME_2}...; ami/Originate),
 * which the dialplan joins again.
 */
public final class DialplanDial {
    /** The report after the Dial: {@code AGI(agi://.../twiml-outbound-dialed,${TWIML_CALL_SID})}. */
    public static final String SCRIPT = "twiml-outbound-dialed";
    /** The dialplan joins each value from this many variables at most. */
    public static final int VALUE_PARTS = 4;
    public static final String CALL_SID = "TWIML_CALL_SID";
    public static final String DIAL = "TWIML_DIAL";
    public static final String CALLER_ID = "TWIML_CALLER_ID";
    public static final String HEADERS = "TWIML_HEADERS";
    private static final Pattern SID = Pattern.compile("CA[0-9a-f]{32}");

    private DialplanDial() {
    }

    /**
     * The Originate's channel variables for {@code request} (one or more legs, a caller id) of call
     * {@code callSid}, in order. Refuses with {@link IllegalArgumentException} what {@link AgiDialer} refuses
     * (a dial string with {@code &}, a header name that is not a token, a bad token).
     */
    public static Map<String, String> variables(String callSid, DialRequest request) {
        if (callSid == null || !SID.matcher(callSid).matches()) {
            throw new IllegalArgumentException("not a CallSid: " + callSid);
        }
        Objects.requireNonNull(request.callerId(), "a REST call's Dial always has a caller id");
        Map<String, String> v = new LinkedHashMap<>();
        v.put(CALL_SID, callSid);
        v.put(DIAL, AgiDialer.dialArgs(request));
        v.put(CALLER_ID, AgiText.clean(request.callerId()));
        Map<String, String> headers = new LinkedHashMap<>();
        for (DialLeg leg : request.legs()) leg.headers().forEach(headers::putIfAbsent); // first value wins
        v.put(HEADERS, Integer.toString(headers.size()));
        int i = 0;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (!AgiDialer.TOKEN.matcher(h.getKey()).matches()) {
                throw new IllegalArgumentException("header name not a token: " + h.getKey());
            }
            i++;
            v.put("TWIML_HEADER_NAME_" + i, h.getKey());
            v.put("TWIML_HEADER_" + i, AgiText.clean(h.getValue()));
        }
        return v;
    }
}
