package io.twimlagi.server;

import io.twimlagi.agi.DialplanDial;
import io.twimlagi.agi.OutboundHandler;
import io.twimlagi.call.Call;
import io.twimlagi.call.DialLeg;
import io.twimlagi.call.DialRequest;
import io.twimlagi.call.DialResult;
import io.twimlagi.config.Config;
import io.twimlagi.config.Domain;
import io.twimlagi.dial.DialExecutor;
import io.twimlagi.dial.DialStatuses;
import io.twimlagi.dial.DialTargets;
import io.twimlagi.engine.CallIdentity;
import io.twimlagi.engine.CallLog;
import io.twimlagi.engine.Outcome;
import io.twimlagi.engine.StatusCallbackEmitter;
import io.twimlagi.records.CallRecord;
import io.twimlagi.rest.OutboundRequest;
import io.twimlagi.sip.SipCapture;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.sip.SipUri;
import io.twimlagi.twilio.Sids;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.webhook.UrlPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The REST-created calls in progress, and the two halves each one runs on (dialplan/twiml.conf): Asterisk
 * originates {@code Local/<CallSid>@twiml-outbound-dial} with the Dial's channel variables (agi/DialplanDial: To,
 * From, URI headers, digest credentials, timeout, time limit); that half Dials the callee in dialplan, with no
 * FastAGI hop before the INVITE, and reports how its Dial ended afterwards ({@link #dialed}); when the callee
 * answers, the other half enters {@code twiml-outbound}, where the call's TwiML runs ({@link #answered}).
 */
public final class OutboundCalls implements OutboundHandler {
    private static final Logger log = LoggerFactory.getLogger(OutboundCalls.class);
    /** Originate's own bound on the answer, beyond the Dial's timeout (the Dial decides; this only cleans up). */
    private static final Duration ORIGINATE_MARGIN = Duration.ofSeconds(15);
    /**
     * How long an unanswered call's Originate may end before its Dial half's report arrives (both follow the
     * dialing half's hangup; the report takes a FastAGI connection): past it, a call nobody reported is failed.
     * An Originate lost with the Manager Interface may still ring: its end is then awaited until its own timeout.
     */
    static final Duration REPORT_GRACE = Duration.ofSeconds(10);
    /** Twilio's "Service Unavailable" (its 20003 is an authentication error, which would mislead an SDK user). */
    static final int UNAVAILABLE = 20503;

    /** What a Status=canceled (or completed) did to a call whose TwiML half does not run yet. */
    public enum Cancel {
        /** It is canceled (its dialing half is hung up, or never Dials). */
        CANCELED,
        /** Its callee answered: it is in progress and was left alone. */
        ANSWERED,
        /** It is over (or unknown). */
        OVER
    }

    /** A call Asterisk cannot place now: Twilio's error code, the HTTP status, why. */
    public static final class Refused extends Exception {
        public final int code;
        public final int status;

        Refused(int code, int status, String message) {
            super(message);
            this.code = code;
            this.status = status;
        }
    }

    private final Services services;
    private final Supplier<Config> config;
    private final Originator originator;
    private final Later later;
    private final Map<String, OutboundCall> calls = new ConcurrentHashMap<>();
    private volatile boolean draining;

    /** No new call from now on (a shutdown): REST creates get 503, operator calls are hung up. */
    void drain() {
        draining = true;
    }

    /** REST calls not over yet (queued, ringing or answered): a shutdown waits for them too. */
    public int inProgress() {
        return calls.size();
    }

    /** {@code originator} null: outbound calls are off (AMI not configured). */
    OutboundCalls(Services services, Supplier<Config> config, Originator originator) {
        this(services, config, originator, Later.SYSTEM);
    }

    /** {@code later}: runs the checks for a half that never reported ({@link #REPORT_GRACE} and its clock). */
    OutboundCalls(Services services, Supplier<Config> config, Originator originator, Later later) {
        this.services = services;
        this.config = config;
        this.originator = originator;
        this.later = later;
    }

    /** The REST call with this CallSid while it is not over, or null. */
    public OutboundCall get(String callSid) {
        return calls.get(callSid);
    }

    /** True when a call can be placed now: the Manager Interface is configured and logged in. */
    public boolean available() {
        return originator != null && originator.available();
    }

    /**
     * Places a call: validated, registered, originated. Returns its record as created ({@code queued}, as Twilio's
     * answer to the POST), read before Asterisk is asked: the call is initiated as the Originate goes out, and its
     * Dial may report at once.
     */
    public CallRecord create(OutboundRequest r) throws Refused {
        if (draining) throw new Refused(UNAVAILABLE, 503, "the server is shutting down: try again later");
        if (originator == null) throw new Refused(UNAVAILABLE, 503, "outbound calls need the Asterisk Manager "
                + "Interface (ami_username / ami_secret)");
        if (!originator.available()) {
            throw new Refused(UNAVAILABLE, 503, "Asterisk's Manager Interface is not reachable: try again later");
        }
        Config c = config.get();
        Domain base = c.domainFor("");
        Domain domain = new Domain(base.name(), base.sid(), r.url(), r.method(), r.fallbackUrl(), r.fallbackMethod(),
                r.statusCallback(), r.statusCallbackMethod(), r.statusCallbackEvents(), base.dialNumber(),
                base.dialSipEndpoint(), base.dialClient());
        DialLeg leg;
        try {
            leg = new DialTargets(domain, new DialExecutor.SipAuth(services.credentialEndpoints(),
                    c.general().dialSipAuthOptions())).to(r.to(), r.sipAuthUsername(), r.sipAuthPassword());
        } catch (DialTargets.Invalid e) {
            throw new Refused(21211, 400, "invalid To \"" + DialTargets.printable(r.to()) + "\": " + e.getMessage()
                    + " (error " + e.code() + ")");
        }
        String callerId = callerId(r.from());
        if (callerId == null) {
            throw new Refused(21212, 400, "invalid From \"" + DialTargets.printable(r.from()) + "\": a number, a "
                    + "client:name or a sip: URI whose user is one");
        }
        String sid = Sids.newCallSid();
        SipCapture capture = services.capture();
        boolean watch = capture != null && capture.live() && r.statusCallbackEvents().contains("ringing");
        DialRequest dial = new DialRequest(List.of(leg), Duration.ofSeconds(r.timeoutSeconds()),
                Duration.ofSeconds(r.timeLimitSeconds()), callerId, false, null, null, null, watch ? sid : null);
        Map<String, String> variables;
        try {
            variables = DialplanDial.variables(sid, dial);
            originator.check(variables);
        } catch (IllegalArgumentException e) {
            throw new Refused(21211, 400, "invalid To \"" + DialTargets.printable(r.to()) + "\": Asterisk cannot "
                    + "dial it (" + e.getMessage() + ")");
        }
        CallIdentity identity = CallIdentity.outboundApi(sid, c.general().accountSid(),
                new SipInvite(r.to(), r.from(), "", "", "", Map.of()), domain);
        StatusCallbackEmitter callbacks = new StatusCallbackEmitter(services.callbacks(), sid, "status callback",
                r.statusCallback(), r.statusCallbackMethod(), r.statusCallbackEvents(), true);
        OutboundCall call = new OutboundCall(identity, r, dial, callbacks, services.callLog());
        calls.put(sid, call);
        log.info("{} outbound call to {} from {} queued ({}, timeout {} s)", sid, DialTargets.printable(r.to()),
                DialTargets.printable(r.from()), leg.dialString(), r.timeoutSeconds());
        CallRecord created = services.records().fetchCall(sid)
                .orElseThrow(() -> new IllegalStateException("no record of " + sid));
        if (!call.dialing()) return created; // canceled meanwhile
        CompletableFuture<Boolean> placed;
        Duration answerWithin = Duration.ofSeconds(r.timeoutSeconds()).plus(ORIGINATE_MARGIN);
        long sent = later.nanoTime();
        try {
            placed = originator.originate(sid, answerWithin, variables);
        } catch (RuntimeException e) {
            log.error("{} outbound call not placed: {}", sid, e.toString());
            finish(call, "failed", 0, 0, false);
            return created;
        }
        placed.whenComplete((answered, failure) -> {
            if (failure == null && answered) { // the TwiML half runs it; the Dial half reports its end
                call.calleeAnswered();
                later.after(REPORT_GRACE, () -> failIfTwimlHalfNeverCame(call)); // neither AGI came (agi_max_calls)
                return;
            }
            if (failure != null && originator.refused(failure)) { // no channel was made: nothing will report
                log.warn("{} outbound call not placed: {}", sid, failure.getMessage());
                finish(call, "failed", 0, 0, false);
                return;
            }
            // not answered: its Dial half reports how, normally just before this; one that never does (Asterisk
            // gone, the report's AGI unreachable) ends the call failed. Lost with the Manager Interface, it may
            // still ring (Asterisk stayed up): its Dial half is awaited until the Originate's own timeout too.
            Duration wait = REPORT_GRACE;
            if (failure != null) {
                Duration ringing = answerWithin.minusNanos(later.nanoTime() - sent);
                if (!ringing.isNegative()) wait = wait.plus(ringing);
                log.info("{} outbound call's Originate lost ({}): waiting {} s for its Dial half's report", sid,
                        failure.getMessage(), wait.toSeconds());
            }
            later.after(wait, () -> {
                if (call.state() == OutboundCall.State.ENDED || call.session() != null) return;
                log.warn("{} outbound call failed: {}", sid, failure != null ? failure.getMessage()
                        : "its Dial half never reported how it ended");
                finish(call, call.statusIfEndedByApi("failed"), 0, 0, false);
            });
        });
        return created;
    }

    /** The From's user as the legs' caller id (a number, a client name, a SIP URI's user), or null. */
    static String callerId(String from) {
        if (from == null) return null;
        String f = from.strip();
        if (f.regionMatches(true, 0, "client:", 0, 7)) f = f.substring(7);
        else if (f.regionMatches(true, 0, "sip:", 0, 4) || f.regionMatches(true, 0, "sips:", 0, 5)) {
            f = SipUri.userOf(f);
        } else {
            f = f.replaceAll("[\\s().-]", "");
        }
        return DialTargets.validCallerId(f) ? f : null;
    }

    /**
     * Status=canceled: a call not yet answered ends {@code canceled} (the callee gets CANCEL); one whose callee
     * answered is left alone, even when its TwiML half has not arrived yet. {@code evenIfAnswered} (Status=completed):
     * that answered call is hung up too, as long as its TwiML half has not arrived (then its session ends it).
     */
    public Cancel cancel(String callSid, boolean evenIfAnswered) {
        OutboundCall call = calls.get(callSid);
        if (call == null) return Cancel.OVER;
        if (call.state() == OutboundCall.State.QUEUED) {
            finish(call, "canceled", 0, 0, false);
            return Cancel.CANCELED;
        }
        if (call.requestCancel(evenIfAnswered)) {
            originator.cancel(callSid); // its Dial ends (or never starts) and reports: canceled
            // the call may have ended while the cancel was on its way (its report came): what the cancel left
            // for the dialplan is then nobody else's to clear
            if (call.state() == OutboundCall.State.ENDED) originator.ended(callSid);
            return Cancel.CANCELED;
        }
        return call.answerKnown() && call.state() != OutboundCall.State.ENDED ? Cancel.ANSWERED : Cancel.OVER;
    }

    /**
     * The Dial half (Local;2, in twiml-outbound-dial) dialed the callee in dialplan and its Dial is over: how it
     * ended, if the callee never answered, is the call's end.
     */
    @Override
    public void dialed(String callSid, Function<DialRequest, DialResult> outcome, String channel) {
        OutboundCall call = calls.get(callSid);
        if (call == null) {
            log.debug("{} outbound Dial over on {}: the call is over already", callSid, channel);
            return;
        }
        DialResult result;
        try {
            result = outcome.apply(call.dial());
        } catch (RuntimeException e) {
            log.error("{} outbound Dial's result unreadable: {}", callSid, e.toString());
            if (call.session() == null) finish(call, call.statusIfEndedByApi("failed"), 0, 0, false);
            return;
        }
        if (result.bridged()) {
            call.calleeAnswered();
            // the TwiML half reports answered and completed; its AGI may still be on its way (a callee that hung
            // up at once), so only one that never comes fails the call
            if (call.session() == null) later.after(REPORT_GRACE, () -> failIfTwimlHalfNeverCame(call));
            return;
        }
        // the callee's last response was a 180/183 (HEP capture off, or missed): it rang before it ended
        if (result.sipCode() == 180 || result.sipCode() == 183) call.ringing();
        String status = call.cancelRequested() ? "canceled" : DialStatuses.callStatus(result);
        log.info("{} outbound call not answered: {} (SIP {})", callSid, status, DialStatuses.sipResponseCode(result));
        finish(call, status, 0, DialStatuses.sipResponseCode(result), false);
    }

    /**
     * Answered, but its TwiML half never reached the server (unreachable, agi_max_calls): failed. One the API ended
     * meanwhile (its hangup can come before that half's AGI runs) ends as the API said.
     */
    private void failIfTwimlHalfNeverCame(OutboundCall call) {
        if (call.state() == OutboundCall.State.ENDED || call.session() != null) return;
        String status = call.statusIfEndedByApi("failed");
        if (status.equals("failed")) {
            log.warn("{} outbound call failed: answered, but its TwiML half never reached the server", call.sid());
        } else {
            log.info("{} outbound call {} by the REST API before its TwiML half ran", call.sid(), status);
        }
        finish(call, status, 0, 200, false);
    }

    /** A watched leg reports its Call-ID: its 180/183 in Asterisk's SIP capture is the call's "ringing". */
    boolean legCreated(String token, String callId) {
        OutboundCall call = calls.get(token);
        if (call == null) return false;
        SipCapture capture = services.capture();
        if (capture != null && callId != null && !callId.isEmpty()) {
            capture.onRinging(callId, call::ringing);
            call.watchRinging(callId);
        }
        return true;
    }

    /**
     * The TwiML half (Local;1, in twiml-outbound): the callee answered; runs the call's TwiML to its end. Without a
     * REST call, an operator's {@code channel originate ... application AGI agi://.../twiml-outbound?Url=...}: a new
     * outbound-api call runs that URL's TwiML.
     */
    @Override
    public void answered(String callSid, Map<String, String> parameters, Call half, String channel) {
        OutboundCall call = callSid.isEmpty() ? null : calls.get(callSid);
        if (call == null && callSid.isEmpty() && parameters.containsKey("Url")) {
            operatorCall(parameters, half, channel);
            return;
        }
        if (call == null) {
            log.warn("{} outbound call unknown or over: hanging up {}", callSid, channel);
            half.hangup();
            return;
        }
        CallSession session = new CallSession(services, half, call.identity(), call::statusCallbacks, CallLog.NONE);
        if (!call.answered(session)) {
            half.hangup();
            return;
        }
        try {
            session.runAnswered(channel, call.start(), call.request().sendDigits(), call.request().recording());
        } finally {
            finish(call, "completed", (int) session.progress().durationSeconds(), 200, true);
        }
    }

    /**
     * A call an operator originated from the Asterisk CLI, with its TwiML URL in the AGI URL. A {@code file:} URL
     * must lie below the default domain's {@code file_root}, as a {@code file:} document's own URLs must: the AGI
     * URL is dialplan text, not a place to widen what the server reads from disk.
     */
    private void operatorCall(Map<String, String> p, Call half, String channel) {
        if (draining) {
            log.warn("operator call on {} refused: shutting down", channel);
            half.hangup();
            return;
        }
        Config c = config.get();
        Domain base = c.domainFor("");
        String url = p.get("Url");
        if (UrlPolicy.isFile(url)) {
            try {
                UrlPolicy.localFile(url, base.fileRoot());
            } catch (UrlPolicy.RefusedUrlException e) {
                log.warn("operator call on {} refused: {} ({})", channel, url, e.getMessage());
                half.hangup();
                return;
            }
        }
        HttpMethod method = "GET".equalsIgnoreCase(p.get("Method")) ? HttpMethod.GET : HttpMethod.POST;
        Domain domain = new Domain(base.name(), base.sid(), url, method, base.voiceFallbackUrl(),
                base.voiceFallbackMethod(), base.statusCallback(), base.statusCallbackMethod(),
                base.statusCallbackEvents(), base.dialNumber(), base.dialSipEndpoint(), base.dialClient(),
                base.admission(), base.fileRoot());
        CallIdentity identity = CallIdentity.outboundApi(Sids.newCallSid(), c.general().accountSid(),
                new SipInvite(p.getOrDefault("To", ""), p.getOrDefault("From", ""), "", "", "", Map.of()), domain);
        new CallSession(services, half, identity, null, services.callLog())
                .runAnswered(channel, new Outcome.Navigate(domain.voiceUrl(), method, Map.of()), null, null);
    }

    private void finish(OutboundCall call, String status, int seconds, int sipCode, boolean reported) {
        call.ended(status, seconds, sipCode, reported);
        calls.remove(call.sid(), call);
        if (originator != null) originator.ended(call.sid());
        SipCapture capture = services.capture();
        String watched = call.watchRinging(null); // a leg that never rang (busy, failed) leaves its watcher
        if (capture != null && watched != null) capture.stopWatching(watched);
    }
}
