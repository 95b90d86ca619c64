package io.twimlagi.dial;

import io.twimlagi.call.ConferenceExit;
import io.twimlagi.call.ConferenceRequest;
import io.twimlagi.call.ConferenceResult;
import io.twimlagi.call.ConferenceSounds;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.media.MediaException;
import io.twimlagi.media.MediaStore;
import io.twimlagi.twiml.Conference;
import io.twimlagi.twiml.Dial;
import io.twimlagi.twiml.Trim;
import io.twimlagi.verbs.Tones;
import io.twimlagi.webhook.CallbackSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <Dial><Conference>}: joins an Asterisk ConfBridge named after the domain and the conference name.
 * Twilio's start rule maps onto ConfBridge's marked users: {@code startConferenceOnEnter="true"} joins as marked,
 * {@code "false"} waits (hearing the hold audio, not the others) until a marked participant is in. Alone in the
 * conference, a participant hears the hold audio too, like Twilio's wait music before a second one joins. Once
 * started, a conference goes on when its starters leave (the waiters join again as starters, see {@code stay}).
 * {@code endConferenceOnExit} kicks everyone when this participant leaves. Afterwards the Dial's {@code action}
 * gets {@code DialCallStatus=answered} (failed when the conference was full), or the next verb runs.
 */
public final class ConferenceExecutor {
    private static final Logger log = LoggerFactory.getLogger(ConferenceExecutor.class);

    /** How long a waiter let out by ConfBridge waits for our starters to say whether they ended the conference. */
    static final Duration STARTERS_WAIT = Duration.ofSeconds(2);

    private final ConferenceRooms rooms = new ConferenceRooms();
    private final ConferenceSounds sounds;
    private final ConferenceHold hold;
    private final Recorder recorder;
    private final CallbackSender callbacks;

    /** With the join/leave beeps and the silence that replaces ConfBridge's prompts, written once. */
    public static ConferenceExecutor create(MediaStore store, ConferenceHold hold, Recorder recorder,
                                            CallbackSender callbacks) throws IOException, MediaException {
        ConferenceSounds sounds = new ConferenceSounds(
                store.asteriskName(Tones.wav(store, "join-880hz-200ms", 880, 200)),
                store.asteriskName(Tones.wav(store, "leave-440hz-200ms", 440, 200)),
                store.asteriskName(Tones.wav(store, "silence-100ms", 0, 100)));
        return new ConferenceExecutor(sounds, hold, recorder, callbacks);
    }

    ConferenceExecutor(ConferenceSounds sounds, ConferenceHold hold, Recorder recorder,
                       CallbackSender callbacks) {
        this.sounds = sounds;
        this.hold = hold;
        this.recorder = recorder;
        this.callbacks = callbacks;
    }

    Outcome join(Dial dial, Conference c, CallContext ctx) {
        ConferenceRooms.Seat seat = rooms.enter(ctx.domain().sid(), c.name(),
                sid -> ConferenceEvents.of(callbacks, c, sid, ctx)); // the creator's statusCallback
        ConferenceRooms.Room room = seat.room();
        ConferenceEvents events = room.events;
        ConferenceResult r = null;
        boolean joinSent = false;
        try {
            Recorder.Pending recording = null;
            if (seat.first() && c.record() == Conference.RecordMode.RECORD_FROM_START) {
                recording = recorder.start();
                Recorder.Pending file = recording;
                String callback = c.recordingStatusCallback() == null ? null : ctx.resolve(c.recordingStatusCallback());
                room.onEmpty = () -> finishRecording(file, c, callback, room, ctx); // the URL as of now
            }
            int limit = DialExecutor.timeLimitSeconds(dial);
            String holdClass = hold.classFor(c, ctx);
            // decided right before joining: Twilio keeps a started conference going, while ConfBridge would put a
            // waiting participant back on hold when the last marked one leaves, so whoever joins a started
            // conference joins as a starter
            ConferenceRooms.Start start = rooms.start(room, c.startConferenceOnEnter());
            boolean quiet = c.beep() == Conference.Beep.FALSE;
            ConferenceRequest request = new ConferenceRequest(room.bridgeName, c.muted(),
                    c.startConferenceOnEnter() || start.before(), c.endConferenceOnExit(), quiet,
                    c.maxParticipants(), holdClass, recording == null ? null : recording.asteriskFile(),
                    Duration.ofSeconds(limit), dial.hangupOnStar() ? '*' : 0, sounds);
            log.info("{} Conference \"{}\" ({} {}): joining{}{}{}", ctx.callSid(), DialTargets.printable(c.name()),
                    room.conferenceSid, room.bridgeName, request.startOnEnter() ? "" : ", waits for a starter",
                    c.endConferenceOnExit() ? ", ends it on exit" : "", recording != null ? ", recording" : "");
            if (events != null) {
                events.participant("join", ctx, c, Map.of());
                joinSent = true;
                if (start.now()) events.conference("start", Map.of());
            }
            r = stay(request, room, c, ctx, limit);
        } finally {
            if (joinSent) {
                events.participant("leave", ctx, c, r == null || r.exit() == ConferenceExit.HUNG_UP
                        ? Map.of("ReasonParticipantLeft", "participant_hung_up") : Map.of());
            }
            conferenceLeft(room, events, ctx);
        }
        log.info("{} Conference \"{}\" left after {} s: {}", ctx.callSid(), DialTargets.printable(c.name()),
                r.seconds(), r.exit());
        DialExecutor.endIfInterrupted(ctx);
        Map<String, String> params = new LinkedHashMap<>();
        boolean joined = r.joined();
        params.put("DialCallStatus", joined ? "answered" : "failed");
        params.put("DialBridged", Boolean.toString(joined));
        if (dial.action() != null) return new Outcome.Navigate(ctx.resolve(dial.action()), dial.method(), params);
        return ctx.call().isGone() ? Outcome.END : Outcome.NEXT;
    }

    /**
     * In the conference until this participant leaves. A waiter whom ConfBridge let out because the last starter
     * left (ENDMARKED) joins again as a starter while the conference goes on: Twilio keeps a started conference
     * running, ConfBridge would put the waiters back on hold.
     */
    private ConferenceResult stay(ConferenceRequest request, ConferenceRooms.Room room, Conference c,
                                       CallContext ctx, int limit) {
        int seconds = 0;
        boolean counted = request.startOnEnter(); // start() counted it; a rejoining waiter is not counted: the
        while (true) {                             // other waiters must not wait for it
            ConferenceResult r;
            try {
                r = ctx.call().conference(request);
                // it left on its own (not turned away, not let out by others): its endConferenceOnExit counts
                boolean left = r.joined() && r.exit() != ConferenceExit.KICKED
                        && r.exit() != ConferenceExit.STARTERS_LEFT;
                // recorded before this starter counts as out: the waiters let out decide on it (keepsGoing)
                if (c.endConferenceOnExit() && left && room.endedBy == null) room.endedBy = ctx.callSid();
            } finally {
                if (counted) rooms.starterLeft(room);
                counted = false;
            }
            seconds += r.seconds();
            if (r.exit() != ConferenceExit.STARTERS_LEFT || ctx.call().isGone() || ctx.call().interrupted()
                    || seconds >= limit
                    || !rooms.keepsGoing(room, STARTERS_WAIT)) {
                return new ConferenceResult(r.exit(), seconds, r.callerHungUp());
            }
            log.info("{} Conference \"{}\": the starters left; joining again as a starter", ctx.callSid(),
                    DialTargets.printable(c.name()));
            request = request.asStarter(Duration.ofSeconds(limit - seconds));
        }
    }

    /** This participant is out; the last one out ends the conference: its end event, its recording. */
    private void conferenceLeft(ConferenceRooms.Room room, ConferenceEvents events, CallContext ctx) {
        if (!rooms.leave(room)) return;
        if (events != null) {
            String by = room.endedBy;
            events.conference("end", by == null
                    ? Map.of("ReasonConferenceEnded", "last-participant-left")
                    : Map.of("ReasonConferenceEnded", "participant-with-end-conference-on-exit-left",
                            "CallSidEndingConference", by));
        }
        if (room.onEmpty != null) { // also when this join failed: the conference's recording
            try {
                room.onEmpty.run();
            } catch (RuntimeException e) {
                log.error("{} Conference recording could not be finished: {}", ctx.callSid(), e.toString());
            }
        }
    }

    /**
     * ConfBridge closes its recording when the conference ends, not when the participant who started it leaves,
     * so the last participant to leave finishes it (with the first one's recording settings).
     */
    private void finishRecording(Recorder.Pending recording, Conference c, String callbackUrl,
                                 ConferenceRooms.Room room, CallContext ctx) {
        recorder.awaitConferenceClosed(recording, ctx.callSid());
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("RecordingSource", "Conference");
        extra.put("ConferenceSid", room.conferenceSid);
        recorder.finish(recording, ctx, c.trim() == Trim.TRIM_SILENCE,
                callbackUrl, c.recordingStatusCallbackMethod(), c.recordingStatusCallbackEvent(), extra);
    }
}
