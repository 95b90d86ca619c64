package io.twimlagi.verbs;

import io.twimlagi.call.Call;
import io.twimlagi.call.CallGoneException;
import io.twimlagi.call.TransferResult;
import io.twimlagi.call.TransferStatus;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.sip.SipCapture;
import io.twimlagi.sip.SipHeaders;
import io.twimlagi.twiml.Refer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code <Refer action method><Sip>uri</Sip></Refer>}: answers the call if it is still ringing (a REFER needs a
 * confirmed dialog; Asterisk's Transfer() on an unanswered channel would send a 302 instead), validates the URI,
 * then has Asterisk send a SIP REFER to the caller with {@code Refer-To: <uri>} (URI headers such as
 * {@code ?X-Name=value} kept verbatim) and waits for the outcome. A bad URI is a logged error and the verb is
 * skipped: it never becomes an injected header.
 *
 * <p>What Asterisk 22 reports ({@code Transfer()}: TRANSFERSTATUS and TRANSFERSTATUSPROTOCOL, chan_pjsip
 * {@code xfer_client_on_evsub_state}) is less than Twilio's three parameters: SUCCESS (a 2xx sipfrag, or a 202 with
 * {@code Refer-Sub: false}), or FAILURE with one number that is either the final non-2xx response to the REFER
 * itself, or the status line of the first final (&ge; 200) sipfrag NOTIFY, or 1 when the subscription ended (or
 * could not start) without a final status. Which of the two a SIP code came from is not exposed, so this executor
 * maps it by the code's meaning:
 * <ul>
 *   <li>SUCCESS → {@code ReferCallStatus=in-progress, ReferSipResponseCode=202, NotifySipResponseCode=200};</li>
 *   <li>FAILURE with a code that answers a request rather than a call attempt ({@link #REFER_REFUSALS}: 400, 401,
 *       403, 405, 407, 415, 420, 481, 489, 491, 501) → {@code failed} and {@code ReferSipResponseCode=code}, no
 *       NotifySipResponseCode (the REFER was refused);</li>
 *   <li>FAILURE with any other SIP code → the transfer target's final response seen in a NOTIFY:
 *       {@code ReferSipResponseCode=202, NotifySipResponseCode=code} and {@code ReferCallStatus} busy (486, 600),
 *       no-answer (408, 480, 487) or failed;</li>
 *   <li>FAILURE without a code (subscription over without a final sipfrag) or UNSUPPORTED →
 *       {@code ReferCallStatus=failed} only;</li>
 *   <li>the caller hangs up meanwhile → {@code ReferCallStatus=canceled} (the action is still requested, its
 *       response ignored).</li>
 * </ul>
 * With Asterisk's HEP capture (hep.conf → {@link SipCapture}) none of this guessing is needed: the REFER's own
 * response and every NOTIFY's sipfrag code are read from the captured messages of the call's dialog, and mapped
 * as Twilio does ({@code canceled / 202 / 180} for a caller who hangs up mid-transfer). The mapping below is the
 * fallback when nothing was captured.
 * Gaps without capture: a 403/404/500/503 could be either the REFER's response or the target's (we pick by the list above);
 * intermediate 1xx sipfrags (e.g. Twilio's {@code canceled / 202 / 180}) are not reported by Asterisk, so a
 * hangup carries no codes; a {@code Refer-Sub: false} acceptance is reported as 202/200.
 *
 * <p>Bound: Asterisk's Transfer() waits for the REFER subscription to end, which pjsip only times out with the
 * subscription's expiry (600 s by default; measured: still waiting after 100 s). {@code AgiCall.transfer} therefore
 * sets the channel's absolute timeout first ({@code refer_timeout}, 60 s by default): a
 * REFER that is accepted but never NOTIFYs a final status ends our leg after that bound instead of holding it
 * forever, and the transfer reports status {@code TIMEOUT} → {@code ReferCallStatus=failed,
 * ReferSipResponseCode=202} (an unanswered REFER would have failed after 32 s, so it was accepted). Unlike Twilio,
 * TwiML cannot continue after that: Asterisk's timeout ends the channel (the action is still requested, its
 * response ignored).
 */
public final class ReferExecutor implements VerbExecutor<Refer> {
    private static final Logger log = LoggerFactory.getLogger(ReferExecutor.class);

    /** How long the action waits for the HEP copies of the REFER's response and NOTIFYs after Transfer(). */
    static final Duration CAPTURE_WAIT = Duration.ofMillis(500);

    private final Duration maxWait;
    /** Asterisk's HEP copy of the call's SIP messages: the exact REFER response and sipfrags; null: none. */
    private final SipCapture capture;

    /** @param maxWait bound on a REFER whose final NOTIFY never comes ({@code refer_timeout}) */
    public ReferExecutor(Duration maxWait) {
        this(maxWait, null);
    }

    public ReferExecutor(Duration maxWait, SipCapture capture) {
        this.maxWait = maxWait;
        this.capture = capture;
    }

    /** Twilio: the URI (without its header part) must be shorter than 255 characters. */
    static final int MAX_URI = 254;
    /** Twilio: the header part ({@code ?...}) must be shorter than 1024 characters (error 21227). */
    static final int MAX_HEADERS = 1023;
    /** Final responses that refuse the REFER request itself rather than report the target's call attempt. */
    static final Set<Integer> REFER_REFUSALS = Set.of(400, 401, 403, 405, 407, 415, 420, 481, 489, 491, 501);

    @Override
    public Outcome execute(Refer refer, CallContext ctx) {
        String uri = refer.target() == null ? null : refer.target().uri();
        String problem = problem(uri);
        if (problem != null) {
            log.error("{} {}: Refer skipped", ctx.callSid(), problem);
            return Outcome.NEXT;
        }
        uri = uri.strip();
        Call call = ctx.call();
        call.answer(); // a REFER needs a confirmed dialog (unanswered, Transfer() would answer 302)
        Map<String, String> params = new LinkedHashMap<>();
        String dialog = ctx.invite().callId();
        if (capture != null) capture.referStarting(dialog);
        try {
            log.info("{} Refer to {}", ctx.callSid(), uri);
            TransferResult t = call.transfer(uri, maxWait);
            boolean timeout = t.status() == TransferStatus.TIMED_OUT;
            SipCapture.ReferOutcome seen = capture == null ? null
                    : capture.referOutcome(dialog, timeout ? Duration.ZERO : CAPTURE_WAIT);
            if (seen != null && (seen.over() || timeout)) {
                map(seen, timeout ? "failed" : null, params);
            } else if (seen != null && seen.referResponse() < 300 && t.status() == TransferStatus.FAILED
                    && t.protocolCode() >= 300 && t.protocolCode() <= 699) {
                // the REFER was accepted, so Asterisk's code is the final sipfrag whose copy was not captured
                map(new SipCapture.ReferOutcome(seen.referResponse(), t.protocolCode(), true), null, params);
            } else {
                map(t, params); // the end was not captured: Asterisk's result, with the REFER's own code if seen
                if (seen != null && seen.referResponse() < 300 && params.containsKey("ReferSipResponseCode")) {
                    params.put("ReferSipResponseCode", Integer.toString(seen.referResponse()));
                }
            }
            log.info("{} Refer result: Asterisk {} {}{} -> {}", ctx.callSid(), t.status(), t.protocolCode(),
                    seen == null ? "" : ", captured " + seen, params);
        } catch (CallGoneException gone) {
            log.info("{} Refer: the caller hung up during the transfer", ctx.callSid());
            if (refer.action() == null) throw gone;
            SipCapture.ReferOutcome seen = capture == null ? null
                    : capture.referOutcome(dialog, Duration.ZERO);
            if (seen != null) map(seen, "canceled", params);
            else params.put("ReferCallStatus", "canceled");
        } finally {
            if (capture != null) capture.stopReferWatch(dialog);
        }
        if (refer.action() == null) return Outcome.NEXT;
        return new Outcome.Navigate(ctx.resolve(refer.action()), refer.method(), params);
    }

    /** Asterisk's result as Twilio's action parameters (see the class comment). */
    static void map(TransferResult t, Map<String, String> params) {
        int code = t.protocolCode();
        if (t.status() == TransferStatus.SUCCEEDED) {
            params.put("ReferCallStatus", "in-progress");
            params.put("ReferSipResponseCode", "202");
            params.put("NotifySipResponseCode", "200");
        } else if (t.status() == TransferStatus.TIMED_OUT) { // accepted (an unanswered REFER fails in 32 s), no final NOTIFY
            params.put("ReferCallStatus", "failed");
            params.put("ReferSipResponseCode", "202");
        } else if (code >= 300 && code <= 699 && REFER_REFUSALS.contains(code)) {
            params.put("ReferCallStatus", "failed");
            params.put("ReferSipResponseCode", Integer.toString(code));
        } else if (code >= 300 && code <= 699) {
            params.put("ReferCallStatus", targetStatus(code));
            params.put("ReferSipResponseCode", "202");
            params.put("NotifySipResponseCode", Integer.toString(code));
        } else {
            params.put("ReferCallStatus", "failed");
        }
    }

    /**
     * The captured REFER as Twilio's parameters: the response to the REFER, the last sipfrag code, and the status
     * it means; {@code unfinished} is the status when no final sipfrag came ("canceled" when the caller hung up,
     * "failed" at refer_timeout; null: "in-progress" for an accepted REFER without NOTIFY, Refer-Sub: false).
     * Used when the capture saw the REFER end, or when Asterisk gave up (timeout, hangup); otherwise a lost packet
     * must not turn Asterisk's failure into a success, so Asterisk's result is used.
     */
    static void map(SipCapture.ReferOutcome seen, String unfinished, Map<String, String> params) {
        int refer = seen.referResponse();
        int last = seen.lastNotify();
        String status;
        if (refer >= 300) {
            status = "canceled".equals(unfinished) ? "canceled" : "failed";
        } else if (last >= 200 && last < 300) {
            status = "in-progress";
        } else if (last >= 300) {
            status = targetStatus(last);
        } else {
            status = unfinished != null ? unfinished : "in-progress";
        }
        params.put("ReferCallStatus", status);
        params.put("ReferSipResponseCode", Integer.toString(refer));
        if (refer < 300 && last > 0) params.put("NotifySipResponseCode", Integer.toString(last));
    }

    /** ReferCallStatus for the transfer target's final failure response (a sipfrag code of 300 or more). */
    private static String targetStatus(int code) {
        return switch (code) {
            case 486, 600 -> "busy";
            case 408, 480, 487 -> "no-answer";
            default -> "failed";
        };
    }

    /** Why this Refer-To URI is refused (Twilio's error code first), or null when it is fine. */
    static String problem(String uri) {
        if (uri == null || uri.isBlank()) return "error 13243: Refer needs exactly one <Sip> with a SIP URI";
        uri = uri.strip();
        String lower = uri.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("sip:") && !lower.startsWith("sips:")) {
            return "error 13243: Refer URI must start with sip: or sips:";
        }
        int q = uri.indexOf('?');
        String base = q < 0 ? uri : uri.substring(0, q);
        String headers = q < 0 ? "" : uri.substring(q + 1);
        if (base.length() > MAX_URI) return "error 13243: Refer URI longer than " + MAX_URI + " characters";
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            if (!uriChar(c)) return "error 13243: Refer URI has an illegal character (code " + (int) c + ")";
        }
        String hostPart = base.substring(base.indexOf(':') + 1);
        String host = hostPart.substring(hostPart.indexOf('@') + 1);
        if (host.isEmpty() || host.startsWith(";") || host.startsWith(":")) {
            return "error 13243: Refer URI has no host";
        }
        if (q < 0) return null;
        if (headers.length() > MAX_HEADERS) {
            return "error 21227: Refer URI headers longer than " + MAX_HEADERS + " characters";
        }
        for (String pair : headers.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (eq < 0 || !SipHeaders.isToken(name)) {
                return "error 21228: Refer URI header \"" + printable(pair) + "\" is not name=value";
            }
            if (name.regionMatches(true, 0, "X-Twilio", 0, 8)) {
                return "error 32113: Refer URI header " + name + " is reserved";
            }
            if (!name.regionMatches(true, 0, "X-", 0, 2) && !name.equalsIgnoreCase("User-to-User")) {
                return "error 13252: Refer URI header " + name + " is not allowed (only X- and User-to-User)";
            }
            String value = pair.substring(eq + 1);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '%') {
                    if (i + 2 >= value.length() || !hex(value.charAt(i + 1)) || !hex(value.charAt(i + 2))) {
                        return "error 21229: Refer URI header " + name + " has a bad %-escape";
                    }
                    i += 2;
                } else if (!headerValueChar(c)) {
                    return "error 21229: Refer URI header " + name + " has an illegal character (code " + (int) c
                            + "); percent-encode it";
                }
            }
        }
        return null;
    }

    /** RFC 3261 unreserved and the reserved characters a SIP URI may carry before its headers; %HH allowed. */
    private static boolean uriChar(char c) {
        return alnum(c) || "-_.!~*'()%;:@&=+$,/[]".indexOf(c) >= 0;
    }

    /** RFC 3261 hvalue: hnv-unreserved / unreserved (escapes handled by the caller). */
    private static boolean headerValueChar(char c) {
        return alnum(c) || "-_.!~*'()[]/?:+$".indexOf(c) >= 0;
    }

    private static boolean alnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.replaceAll("[\\p{Cntrl}\"]", "?");
    }
}
