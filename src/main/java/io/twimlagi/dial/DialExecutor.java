package io.twimlagi.dial;

import io.twimlagi.call.CallInterrupted;
import io.twimlagi.call.DialLeg;
import io.twimlagi.call.DialOutcome;
import io.twimlagi.call.DialRecording;
import io.twimlagi.call.DialRequest;
import io.twimlagi.call.DialResult;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.CallLog;
import io.twimlagi.engine.Outcome;
import io.twimlagi.sip.CredentialEndpoints;
import io.twimlagi.sip.SipCapture;
import io.twimlagi.twilio.Sids;
import io.twimlagi.twiml.Conference;
import io.twimlagi.twiml.Dial;
import io.twimlagi.twiml.DialNoun;
import io.twimlagi.twiml.Sip;
import io.twimlagi.twiml.Trim;
import io.twimlagi.verbs.VerbExecutor;
import io.twimlagi.webhook.CallbackSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code <Dial>} with {@code <Number>}, {@code <Sip>} (URI headers on the INVITE) and {@code <Client>} nouns, all
 * rung at once by one Asterisk {@code Dial()} (or one after the other with {@code sequential}); the first to answer
 * is bridged. The caller was answered before (AnswerRule) unless {@code answerOnBridge}, in which case Asterisk
 * answers it when a leg answers. {@code <Conference>} goes to {@link ConferenceExecutor}.
 *
 * <p>Afterwards: no {@code action} → the next verb; with one → the action with {@code DialCallStatus},
 * {@code DialCallSid} (a new CA sid for the child leg), {@code DialCallDuration} (answered), {@code DialBridged},
 * and when a {@code <Sip>} noun was dialed {@code DialSipCallId} and {@code DialSipResponseCode} (see
 * {@link DialStatuses}). A caller who hangs up during the Dial still produces the action request (its response is
 * ignored by the walker).
 */
public final class DialExecutor implements VerbExecutor<Dial> {
    private static final Logger log = LoggerFactory.getLogger(DialExecutor.class);
    /** Twilio's default and its 4-hour platform cap. */
    static final int DEFAULT_TIME_LIMIT = 14400;
    /** How long the action waits for the HEP copy of a leg's final response (it is normally there already). */
    static final Duration FINAL_RESPONSE_WAIT = Duration.ofMillis(500);

    /** Run-time endpoints for {@code <Sip username password>} and the options they get. */
    public record SipAuth(CredentialEndpoints endpoints, Map<String, String> options) {
    }

    private final ConferenceExecutor conferences;
    private final DialSessions sessions;
    private final Recorder recorder;
    private final CallbackSender callbacks;
    private final SipAuth sipAuth;
    /** Asterisk's HEP copy of the legs' SIP messages (final responses other than 200 OK); null: none. */
    private final SipCapture capture;
    private final CallLog callLog;

    public DialExecutor(ConferenceExecutor conferences, DialSessions sessions, Recorder recorder,
                        CallbackSender callbacks, SipAuth sipAuth, SipCapture capture, CallLog callLog) {
        this.callLog = callLog;
        this.conferences = conferences;
        this.sessions = sessions;
        this.recorder = recorder;
        this.callbacks = callbacks;
        this.sipAuth = sipAuth;
        this.capture = capture;
    }

    @Override
    public Outcome execute(Dial dial, CallContext ctx) {
        Conference conference = (Conference) dial.nouns().stream().filter(n -> n instanceof Conference).findFirst()
                .orElse(null);
        if (conference != null) {
            if (dial.nouns().size() > 1) {
                log.error("{} error 13215: <Conference> must be the only noun of its <Dial> (line {}); only the "
                        + "conference is joined", ctx.callSid(), dial.line());
            }
            return conferences.join(dial, conference, ctx);
        }
        String callerId = callerId(dial, ctx);
        String from = callerId != null ? callerId : ctx.invite().from();
        DialTargets targets = new DialTargets(ctx.domain(), sipAuth);
        List<DialLeg> legs = new ArrayList<>();
        List<ChildLeg> children = new ArrayList<>();
        boolean sipNoun = false;
        for (DialNoun noun : dial.nouns()) {
            try {
                legs.add(targets.leg(noun));
                if (noun instanceof Sip) sipNoun = true;
                children.add(new ChildLeg(ChildLeg.Noun.of(noun), ctx, from, callbacks, callLog));
            } catch (DialTargets.Invalid e) {
                log.error("{} error {}: {} (line {}); that noun is skipped", ctx.callSid(), e.code, e.getMessage(),
                        noun.line());
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (legs.isEmpty()) {
            log.error("{} Dial (line {}): nothing valid to dial", ctx.callSid(), dial.line());
            params.put("DialCallStatus", "failed");
            params.put("DialBridged", "false");
            return after(dial, ctx, params);
        }
        // the answered leg calls back (twiml-dial-answered) for a screening url, sendDigits, or the 200 OK's headers
        boolean callback = children.stream().anyMatch(c -> c.noun().url() != null || c.noun().sendDigits() != null
                || c.wantsAnswerEvents()) || (sipNoun && dial.action() != null);
        Recorder.Pending recording = recording(dial);
        DialSession session = sessions.open(ctx, children, callback);
        Attempt a;
        try {
            a = attempts(dial, ctx, legs, children, session, callback, callerId, recording);
        } finally {
            sessions.close(session);
        }
        DialResult r = a.result;
        boolean screenedOut = r.refused() || session.screenedOut();
        boolean bridged = r.answered() && !screenedOut;
        int sipCode = DialStatuses.sipResponseCode(r);
        params.put("DialCallStatus", screenedOut ? "completed" : DialStatuses.callStatus(r));
        params.put("DialCallSid", r.legIndex() >= 0 ? children.get(a.legs.get(r.legIndex())).callSid()
                : Sids.newCallSid());
        if (bridged) params.put("DialCallDuration", Integer.toString(r.answeredSeconds()));
        params.put("DialBridged", Boolean.toString(bridged));
        if (sipNoun) {
            if (r.sipLeg() && r.sipCallId() != null) params.put("DialSipCallId", r.sipCallId());
            if (r.sipLeg() && sipCode > 0) params.put("DialSipResponseCode", Integer.toString(sipCode));
            if (dial.action() != null) { // only the action gets them: no wait for a capture packet otherwise
                finalHeaders(r, sipCode, session).forEach((name, value) -> params.put("DialSipHeader_" + name, value));
            }
        }
        if (recording != null) {
            recorder.awaitClosed(recording, r.recordingClosed());
            Recorder.Done done = recorder.finish(recording, ctx, dial.trim() == Trim.TRIM_SILENCE,
                    dial.recordingStatusCallback() == null ? null : ctx.resolve(dial.recordingStatusCallback()),
                    dial.recordingStatusCallbackMethod(), dial.recordingStatusCallbackEvent(),
                    Map.of("RecordingSource", "DialVerb"));
            if (done != null) {
                params.put("RecordingUrl", done.url());
                params.put("RecordingSid", done.sid());
                params.put("RecordingDuration", Integer.toString(done.seconds()));
            }
        }
        log.info("{} Dial ended: {} SIP {} answered {} s{}{} -> {}", ctx.callSid(), r.outcome(), sipCode,
                r.answeredSeconds(), r.callerHungUp() ? ", the caller hung up" : "",
                screenedOut ? ", screened out" : "", params.get("DialCallStatus"));
        return after(dial, ctx, params);
    }

    /** The Dial's callerId as the legs' From user, or null for the caller's own (an invalid one is logged). */
    private static String callerId(Dial dial, CallContext ctx) {
        String callerId = dial.callerId();
        if (callerId != null && callerId.regionMatches(true, 0, "client:", 0, 7)) callerId = callerId.substring(7);
        if (callerId != null && !DialTargets.validCallerId(callerId)) {
            log.error("{} error 13214: Dial callerId \"{}\" is not a number or SIP user; using the caller's own",
                    ctx.callSid(), DialTargets.printable(dial.callerId()));
            return null;
        }
        return callerId;
    }

    /** The last attempt: its legs (indexes into the Dial's legs) and what Asterisk reported. */
    private record Attempt(List<Integer> legs, DialResult result) {
    }

    /** All at once, or with {@code sequential} one noun after the other until one connects. */
    private Attempt attempts(Dial dial, CallContext ctx, List<DialLeg> legs, List<ChildLeg> children,
                             DialSession session, boolean callback, String callerId, Recorder.Pending recording) {
        List<List<Integer>> attempts = new ArrayList<>();
        if (dial.sequential() && legs.size() > 1) {
            for (int i = 0; i < legs.size(); i++) attempts.add(List.of(i));
        } else {
            attempts.add(IntStream.range(0, legs.size()).boxed().toList());
        }
        String ringTone = dial.ringTone() == null ? null : dial.ringTone().value();
        boolean watchLegs = callback && session.canWatchRinging()
                && children.stream().anyMatch(ChildLeg::wantsRinging);
        Attempt a = null;
        for (int n = 0; n < attempts.size(); n++) {
            List<Integer> which = attempts.get(n);
            List<DialLeg> dialed = which.stream().map(legs::get).toList();
            DialRequest request = new DialRequest(dialed, Duration.ofSeconds(Math.max(1, dial.timeout())),
                    Duration.ofSeconds(timeLimitSeconds(dial)), callerId, dial.hangupOnStar(),
                    callback ? session.token : null, recording == null ? null
                    : new DialRecording(recording.asteriskFile(), dial.record().fromRinging(),
                            recording.dual(), n > 0), ringTone, watchLegs ? session.token : null);
            log.info("{} Dial {} (timeout {} s{}{})", ctx.callSid(), dialed.stream().map(DialLeg::dialString).toList(),
                    request.timeout().toSeconds(), dial.answerOnBridge() ? ", answerOnBridge" : "",
                    recording != null ? ", " + dial.record() : "");
            session.starting(which, dialed.stream().map(DialLeg::dialString).toList());
            DialResult result = ctx.call().dial(request);
            boolean screenedOut = result.refused() || session.screenedOut();
            session.attemptEnded(result, screenedOut);
            a = new Attempt(which, result);
            if ((result.bridged() && !screenedOut) || result.outcome() == DialOutcome.CANCELED
                    || result.callerHungUp() || ctx.call().isGone() || ctx.call().interrupted()) {
                break;
            }
        }
        return a;
    }

    /**
     * The X- headers of the deciding {@code <Sip>} leg's final response: a 200 OK's from the answered-leg callback,
     * any other's from the SIP capture (Asterisk's AGI side never sees them). A 487 we inferred (Asterisk cancelled
     * the leg) is only looked up, not waited for: the callee sends it after the Dial is over.
     */
    private Map<String, String> finalHeaders(DialResult r, int sipCode, DialSession session) {
        if (!r.sipLeg()) return Map.of();
        if (r.answered()) return session.okHeaders();
        if (capture == null || sipCode < 300 || r.sipCallId() == null) return Map.of();
        SipCapture.FinalResponse fr = capture.finalResponse(r.sipCallId(), sipCode,
                sipCode == 487 ? Duration.ZERO : FINAL_RESPONSE_WAIT);
        return fr == null ? Map.of() : fr.xHeaders();
    }

    /** A recording for {@code record} (null for do-not-record). */
    private Recorder.Pending recording(Dial dial) {
        if (!dial.record().records()) return null;
        return recorder.start(dial.record().dual());
    }

    private static Outcome after(Dial dial, CallContext ctx, Map<String, String> params) {
        endIfInterrupted(ctx);
        if (dial.action() != null) return new Outcome.Navigate(ctx.resolve(dial.action()), dial.method(), params);
        return ctx.call().isGone() ? Outcome.END : Outcome.NEXT;
    }

    /**
     * A live update (redirect, hang up) ended the bridge: the new instructions replace the Dial's action, as on
     * Twilio. A caller who hung up still gets the action requested.
     */
    static void endIfInterrupted(CallContext ctx) {
        if (ctx.call().interrupted() && !ctx.call().isGone()) throw new CallInterrupted();
    }

    /** The Dial's {@code timeLimit}, Twilio's default when absent, never above the 4-hour cap. */
    static int timeLimitSeconds(Dial dial) {
        return dial.timeLimit() <= 0 ? DEFAULT_TIME_LIMIT : Math.min(dial.timeLimit(), DEFAULT_TIME_LIMIT);
    }
}
