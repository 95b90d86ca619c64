package io.twimlagi.verbs;

import io.twimlagi.config.Sids;
import io.twimlagi.engine.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.engine.DocumentFetcher;
import io.twimlagi.media.AudioLibrary;
import io.twimlagi.media.HoldMusicClasses;
import io.twimlagi.media.SpeechCache;
import io.twimlagi.media.MediaException;
import io.twimlagi.media.MediaStore;
import io.twimlagi.recording.RecordingStore;
import io.twimlagi.sip.CredentialEndpoints;
import io.twimlagi.sip.SipCapture;
import io.twimlagi.twiml.Client;
import io.twimlagi.twiml.Conference;
import io.twimlagi.webhook.CallbackSender;
import io.twimlagi.twiml.Dial;
import io.twimlagi.twiml.DialNoun;
import io.twimlagi.twiml.Number;
import io.twimlagi.twiml.Sip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <Dial>} with {@code <Number>}, {@code <Sip>} (URI headers on the INVITE) and {@code <Client>} nouns, all
 * rung at once by one Asterisk {@code Dial()}; the first to answer is bridged. The caller was answered before
 * (AnswerRule) unless {@code answerOnBridge}, in which case Asterisk answers it when a leg answers.
 *
 * <p>Afterwards: no {@code action} → the next verb; with one → the action with {@code DialCallStatus},
 * {@code DialCallSid} (a new CA sid for the child leg), {@code DialCallDuration} (answered), {@code DialBridged},
 * and when a {@code <Sip>} noun was dialed {@code DialSipCallId} and {@code DialSipResponseCode}. A caller who
 * hangs up during the Dial still produces the action request (its response is ignored by the interpreter).
 *
 * <p>DialCallStatus from DIALSTATUS: ANSWER → completed, BUSY → busy, NOANSWER → no-answer, CANCEL → canceled;
 * CHANUNAVAIL/CONGESTION → failed, except the callee's 603 Decline, 480 and 408 (→ no-answer) and 486/600
 * (→ busy), decided by the leg's SIP code.
 */
public final class DialExecutor implements VerbExecutor<Dial> {
    private static final Logger log = LoggerFactory.getLogger(DialExecutor.class);
    /** Twilio's default and its 4-hour platform cap. */
    static final int DEFAULT_TIME_LIMIT = 14400;
    /** How long the action waits for the HEP copy of a leg's final response (it is normally there already). */
    static final Duration FINAL_RESPONSE_WAIT = Duration.ofMillis(500);

    /** Twilio's ringTone values; each is also a tone zone of Asterisk's indications.conf. */
    static final java.util.Set<String> RING_TONES = java.util.Set.of("at", "au", "bg", "br", "be", "ch", "cl", "cn",
            "cz", "de", "dk", "ee", "es", "fi", "fr", "gr", "hu", "il", "in", "it", "lt", "jp", "mx", "my", "nl", "no",
            "nz", "ph", "pl", "pt", "ru", "se", "sg", "th", "uk", "us", "us-old", "tw", "ve", "za");

    /** Run-time endpoints for {@code <Sip username password>} and the options they get. */
    public record SipAuth(CredentialEndpoints endpoints, Map<String, String> options) {
    }

    private final ConferenceExecutor conferences;
    private final DialSessions sessions;
    private final Recorder recorder;
    private final SipAuth sipAuth;
    /** Asterisk's HEP copy of the legs' SIP messages (final responses other than 200 OK); null: none. */
    private final SipCapture capture;

    DialExecutor(ConferenceExecutor conferences, DialSessions sessions, Recorder recorder) {
        this(conferences, sessions, recorder, null, null);
    }

    DialExecutor(ConferenceExecutor conferences, DialSessions sessions, Recorder recorder, SipAuth sipAuth,
                 SipCapture capture) {
        this.conferences = conferences;
        this.sessions = sessions;
        this.recorder = recorder;
        this.sipAuth = sipAuth;
        this.capture = capture;
    }

    /**
     * With the tones conferences play (written once into the media folder) and where Asterisk's own recordings
     * (conference, Dial record) are kept and reported. Conference waitUrls play the default hold music.
     */
    public static DialExecutor create(MediaStore store, RecordingStore recordings, CallbackSender callbacks,
                                      String publicUrl, DialSessions sessions) throws IOException, MediaException {
        return create(store, recordings, callbacks, publicUrl, sessions, new ConferenceHold(), null, null);
    }

    /** Same, with conference waitUrls fetched and played as run-time music-on-hold classes. */
    public static DialExecutor create(MediaStore store, RecordingStore recordings, CallbackSender callbacks,
                                      String publicUrl, DialSessions sessions, DocumentFetcher fetcher,
                                      SpeechCache speech, AudioLibrary audio, HoldMusicClasses holdClasses,
                                      SipAuth sipAuth, SipCapture capture) throws IOException, MediaException {
        return create(store, recordings, callbacks, publicUrl, sessions,
                new ConferenceHold(fetcher, new Prompts(speech, audio), store, holdClasses), sipAuth, capture);
    }

    private static DialExecutor create(MediaStore store, RecordingStore recordings, CallbackSender callbacks,
                                       String publicUrl, DialSessions sessions, ConferenceHold hold, SipAuth sipAuth,
                                       SipCapture capture) throws IOException, MediaException {
        Call.ConferenceSounds sounds = new Call.ConferenceSounds(
                store.asteriskName(Tones.wav(store, "join-880hz-200ms", 880, 200)),
                store.asteriskName(Tones.wav(store, "leave-440hz-200ms", 440, 200)),
                store.asteriskName(Tones.wav(store, "silence-100ms", 0, 100)));
        Recorder recorder = new Recorder(recordings, callbacks, publicUrl);
        return new DialExecutor(new ConferenceExecutor(sounds, hold, recorder, callbacks), sessions, recorder,
                sipAuth, capture);
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
        DialTargets targets = new DialTargets(ctx.domain(), sipAuth);
        List<Call.DialLeg> legs = new ArrayList<>();
        List<ChildLeg> infos = new ArrayList<>();
        boolean sipNoun = false;
        for (DialNoun noun : dial.nouns()) {
            try {
                legs.add(targets.leg(noun));
                if (noun instanceof Sip) sipNoun = true;
                infos.add(ChildLeg.of(noun));
                logIgnored(noun, ctx);
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
        String callerId = dial.callerId();
        if (callerId != null && callerId.regionMatches(true, 0, "client:", 0, 7)) callerId = callerId.substring(7);
        if (callerId != null && !DialTargets.validCallerId(callerId)) {
            log.error("{} error 13214: Dial callerId \"{}\" is not a number or SIP user; using the caller's own",
                    ctx.callSid(), DialTargets.printable(dial.callerId()));
            callerId = null;
        }
        String ringTone = dial.ringTone();
        if (ringTone != null && !RING_TONES.contains(ringTone)) {
            log.warn("{} Dial ringTone=\"{}\" is not one of Twilio's; the callee's ringing is relayed",
                    ctx.callSid(), DialTargets.printable(ringTone));
            ringTone = null;
        }
        Recorder.Pending recording = recording(dial);
        // sequential: one noun after the other until one answers; otherwise all at once
        List<List<Integer>> attempts = new ArrayList<>();
        if (dial.sequential() && legs.size() > 1) {
            for (int i = 0; i < legs.size(); i++) attempts.add(List.of(i));
        } else {
            attempts.add(java.util.stream.IntStream.range(0, legs.size()).boxed().toList());
        }
        Attempt a = null;
        for (int i = 0; i < attempts.size(); i++) {
            List<Integer> which = attempts.get(i);
            a = attempt(dial, ctx, which.stream().map(legs::get).toList(), which.stream().map(infos::get).toList(),
                    callerId, ringTone, recording, i > 0, sipNoun);
            String st = a.result.status();
            boolean connected = a.result.bridged() && (a.session == null || !a.session.screenedOut);
            if (connected || "CANCEL".equals(st) || a.result.callerHungUp() || ctx.call().isGone()) break;
        }
        Call.DialResult r = a.result;
        DialSessions.Session session = a.session;
        infos = a.infos;
        boolean screenedOut = r.refused() || (session != null && session.screenedOut);
        boolean bridged = "ANSWER".equals(r.status()) && !screenedOut;
        params.put("DialCallStatus", screenedOut ? "completed" : callStatus(r));
        params.put("DialCallSid", r.legIndex() >= 0 ? infos.get(r.legIndex()).callSid() : Sids.newCallSid());
        if (bridged) params.put("DialCallDuration", Integer.toString(r.answeredSeconds()));
        params.put("DialBridged", Boolean.toString(bridged));
        if (sipNoun) {
            if (r.sipLeg() && r.sipCallId() != null) params.put("DialSipCallId", r.sipCallId());
            if (r.sipLeg() && r.sipCode() > 0) params.put("DialSipResponseCode", Integer.toString(r.sipCode()));
            if (dial.action() != null) { // only the action gets them: no wait for a capture packet otherwise
                finalHeaders(r, session).forEach((name, value) -> params.put("DialSipHeader_" + name, value));
            }
        }
        if (recording != null) {
            recorder.awaitClosed(recording, r.recordingClosed());
            Recorder.Done done = recorder.finish(recording, ctx, "trim-silence".equals(dial.trim()),
                    dial.recordingStatusCallback() == null ? null : ctx.resolve(dial.recordingStatusCallback()),
                    dial.recordingStatusCallbackMethod(), dial.recordingStatusCallbackEvent(),
                    Map.of("RecordingSource", "DialVerb"));
            if (done != null) {
                params.put("RecordingUrl", done.url());
                params.put("RecordingSid", done.sid());
                params.put("RecordingDuration", Integer.toString(done.seconds()));
            }
        }
        log.info("{} Dial ended: DIALSTATUS {} SIP {} answered {} s{}{} -> {}", ctx.callSid(), r.status(), r.sipCode(),
                r.answeredSeconds(), r.callerHungUp() ? ", the caller hung up" : "",
                screenedOut ? ", screened out" : "", params.get("DialCallStatus"));
        return after(dial, ctx, params);
    }

    /**
     * The X- headers of the deciding {@code <Sip>} leg's final response: a 200 OK's from the answered-leg callback,
     * any other's from the SIP capture (Asterisk's AGI side never sees them). A 487 we inferred (Asterisk cancelled
     * the leg) is only looked up, not waited for: the callee sends it after the Dial is over.
     */
    private Map<String, String> finalHeaders(Call.DialResult r, DialSessions.Session session) {
        if (!r.sipLeg()) return Map.of();
        if ("ANSWER".equals(r.status())) return session == null ? Map.of() : session.okHeaders;
        if (capture == null || r.sipCode() < 300 || r.sipCallId() == null) return Map.of();
        SipCapture.FinalResponse fr = capture.finalResponse(r.sipCallId(), r.sipCode(),
                r.sipCode() == 487 ? Duration.ZERO : FINAL_RESPONSE_WAIT);
        return fr == null ? Map.of() : fr.xHeaders();
    }

    /** One Dial() of some of the legs: what Asterisk reported, and the session of its answered-leg callback. */
    private record Attempt(Call.DialResult result, DialSessions.Session session, List<ChildLeg> infos) {
    }

    private Attempt attempt(Dial dial, CallContext ctx, List<Call.DialLeg> legs, List<ChildLeg> infos,
                            String callerId, String ringTone, Recorder.Pending recording, boolean append,
                            boolean sipNoun) {
        // the answered leg calls back (twiml-dial-answered) for a screening url, sendDigits, or the 200 OK's headers
        boolean callback = infos.stream().anyMatch(i -> i.url() != null || i.sendDigits() != null
                || i.wantsAnswerEvents()) || (sipNoun && dial.action() != null);
        DialSessions.Session session = callback ? sessions.open(ctx, infos,
                legs.stream().map(Call.DialLeg::dialString).toList(), callerId != null ? callerId
                : ctx.invite().from()) : null;
        boolean watchLegs = session != null && infos.stream().anyMatch(ChildLeg::wantsRinging)
                && sessions.canWatchRinging();
        int timeLimit = timeLimitSeconds(dial);
        Call.DialRequest request = new Call.DialRequest(legs, Duration.ofSeconds(Math.max(1, dial.timeout())),
                Duration.ofSeconds(timeLimit), callerId, dial.hangupOnStar(), session == null ? null : session.token,
                recording == null ? null : new Call.DialRecording(recording.asteriskFile(),
                        dial.record().startsWith("record-from-ringing"), recording.dual(), append), ringTone,
                watchLegs);
        log.info("{} Dial {} (timeout {} s{}{})", ctx.callSid(), legs.stream().map(Call.DialLeg::dialString).toList(),
                request.timeout().toSeconds(), dial.answerOnBridge() ? ", answerOnBridge" : "",
                recording != null ? ", " + dial.record() : "");
        String from = callerId != null ? callerId : ctx.invite().from();
        infos.forEach(leg -> leg.status(sessions.callbacks(), ctx, from, "initiated", "initiated", Map.of()));
        Call.DialResult result;
        try {
            result = ctx.call().dial(request);
        } finally {
            if (session != null) sessions.close(session);
        }
        boolean screenedOut = result.refused() || (session != null && session.screenedOut);
        for (int i = 0; i < infos.size(); i++) {
            int code = i < result.legSipCodes().size() ? result.legSipCodes().get(i) : 0;
            if (code == 180 || code == 183) {
                infos.get(i).status(sessions.callbacks(), ctx, from, "ringing", "ringing", Map.of());
            }
            Map<String, String> end = new LinkedHashMap<>();
            boolean answered = "ANSWER".equals(result.status()) && result.legIndex() == i;
            end.put("CallDuration", Integer.toString(answered && !screenedOut ? result.answeredSeconds() : 0));
            if (code >= 200) end.put("SipResponseCode", Integer.toString(code));
            infos.get(i).status(sessions.callbacks(), ctx, from, "completed", legStatus(result, i, code), end);
        }
        return new Attempt(result, session, infos);
    }

    /** A recording for {@code record} (null for do-not-record). */
    private Recorder.Pending recording(Dial dial) {
        String record = dial.record();
        if (record == null || !record.startsWith("record-from-")) return null;
        return recorder.start(record.endsWith("-dual"));
    }

    private static Outcome after(Dial dial, CallContext ctx, Map<String, String> params) {
        if (dial.action() != null) return new Outcome.Navigate(ctx.resolve(dial.action()), dial.method(), params);
        return ctx.call().isGone() ? Outcome.END : Outcome.NEXT;
    }

    /** The Dial's {@code timeLimit}, Twilio's default when absent, never above the 4-hour cap. */
    static int timeLimitSeconds(Dial dial) {
        return dial.timeLimit() <= 0 ? DEFAULT_TIME_LIMIT : Math.min(dial.timeLimit(), DEFAULT_TIME_LIMIT);
    }

    /** The final CallStatus of leg {@code i} for its status callback. */
    static String legStatus(Call.DialResult r, int i, int code) {
        if (r.legSipCodes().isEmpty()) return callStatus(r); // Asterisk did not create every leg: the Dial's
        if ("ANSWER".equals(r.status())) return r.legIndex() == i ? "completed" : "canceled";
        if (code == 486 || code == 600) return "busy";
        if (code == 603 || code == 480 || code == 408 || code == 487 || (code > 0 && code < 200)) {
            return "CANCEL".equals(r.status()) ? "canceled" : "no-answer";
        }
        return "CANCEL".equals(r.status()) ? "canceled" : "failed";
    }

    /** Twilio's DialCallStatus for what Asterisk reported. */
    static String callStatus(Call.DialResult r) {
        switch (r.status()) {
            case "ANSWER":
                return "completed";
            case "BUSY":
                return "busy";
            case "NOANSWER":
                return "no-answer";
            case "CANCEL":
                return "canceled";
            default:
                int code = r.sipCode();
                if (code == 486 || code == 600) return "busy";
                if (code == 603 || code == 480 || code == 408) return "no-answer";
                return "failed";
        }
    }

    private static void logIgnored(DialNoun noun, CallContext ctx) {
    }
}
