package io.twimlagi.dial;

import io.twimlagi.call.ConferenceExit;
import io.twimlagi.call.ConferenceRequest;
import io.twimlagi.call.ConferenceResult;
import io.twimlagi.call.ConferenceSounds;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.media.MediaException;
import io.twimlagi.media.MediaStore;
import io.twimlagi.records.ConferenceRecord;
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

    private final ConferenceRegistry registry;
    private final ConferenceRooms rooms;
    private final ConferenceSounds sounds;
    private final ConferenceHold hold;
    private final Recorder recorder;
    private final CallbackSender callbacks;

    /** With the join/leave beeps and the silence that replaces ConfBridge's prompts, written once. */
    public static ConferenceExecutor create(MediaStore store, ConferenceHold hold, Recorder recorder,
                                            CallbackSender callbacks, ConferenceRegistry registry)
            throws IOException, MediaException {
        ConferenceSounds sounds = new ConferenceSounds(
                store.asteriskName(Tones.wav(store, "join-880hz-200ms", 880, 200)),
                store.asteriskName(Tones.wav(store, "leave-440hz-200ms", 440, 200)),
                store.asteriskName(Tones.wav(store, "silence-100ms", 0, 100)));
        return new ConferenceExecutor(sounds, hold, recorder, callbacks, registry);
    }

    ConferenceExecutor(ConferenceSounds sounds, ConferenceHold hold, Recorder recorder,
                       CallbackSender callbacks) {
        this(sounds, hold, recorder, callbacks, ConferenceRegistry.unmanaged());
    }

    ConferenceExecutor(ConferenceSounds sounds, ConferenceHold hold, Recorder recorder,
                       CallbackSender callbacks, ConferenceRegistry registry) {
        this.sounds = sounds;
        this.hold = hold;
        this.recorder = recorder;
        this.callbacks = callbacks;
        this.registry = registry;
        this.rooms = registry.rooms;
    }

    Outcome join(Dial dial, Conference c, CallContext ctx) {
        ConferenceRooms.Seat seat = rooms.enter(ctx.domain().sid(), c.name(), created -> {
            created.events = ConferenceEvents.of(callbacks, c, created.conferenceSid, ctx); // the creator's
            created.live = registry.opened(created, ctx.accountSid(), c.name(), c.region(), ctx.domain().name());
        });
        ConferenceRooms.Room room = seat.room();
        ConferenceEvents events = room.events;
        LiveParticipant me = registry.joined(room.live, ctx.callSid(), ctx.call().channel().name(),
                c.participantLabel(), c.muted(), c.startConferenceOnEnter(), c.endConferenceOnExit());
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
                events.participant("join", me, Map.of());
                joinSent = true;
            }
            if (start.now()) started(room);
            r = stay(request, room, me, c, ctx, limit);
        } finally {
            registry.left(me);
            if (joinSent) {
                String removed = me.removedFor();
                events.participant("leave", me, r == null || r.exit() == ConferenceExit.HUNG_UP
                        ? Map.of("ReasonParticipantLeft", "participant_hung_up")
                        : removed != null ? Map.of("ReasonParticipantLeft", removed) : Map.of());
            }
            conferenceLeft(room, me, events);
        }
        log.info("{} Conference \"{}\" left after {} s: {}", ctx.callSid(), DialTargets.printable(c.name()),
                r.seconds(), me.removedFor() != null ? "removed (" + me.removedFor() + ")" : r.exit());
        DialExecutor.endIfInterrupted(ctx);
        Map<String, String> params = new LinkedHashMap<>();
        boolean joined = r.joined();
        params.put("DialCallStatus", joined ? "answered" : "failed");
        params.put("DialBridged", Boolean.toString(joined));
        if (dial.action() != null) return new Outcome.Navigate(ctx.resolve(dial.action()), dial.method(), params);
        return ctx.call().isGone() ? Outcome.END : Outcome.NEXT;
    }

    /** A participant with startConferenceOnEnter is joining: the conference starts. */
    private void started(ConferenceRooms.Room room) {
        registry.started(room.live);
        if (room.events != null) room.events.conference("start", Map.of());
    }

    /**
     * In the conference until this participant leaves. A waiter whom ConfBridge let out because the last starter
     * left (ENDMARKED) joins again as a starter while the conference goes on: Twilio keeps a started conference
     * running, ConfBridge would put the waiters back on hold. A change through the REST API kicks the call out of
     * its ConfBridge; it then goes where it now belongs ({@link LiveParticipant#enter}): its hold room (alone, with
     * the hold audio), back into the conference (quietly, as after hold), or out (removed, or the conference ended).
     */
    private ConferenceResult stay(ConferenceRequest request, ConferenceRooms.Room room, LiveParticipant me,
                                  Conference c, CallContext ctx, int limit) {
        int seconds = 0;
        // counted: start() counted it as a starter. A waiter rejoining as a starter is not counted (the other
        // waiters must not wait for it); one coming back into the mix after a REST change (back) is, again.
        boolean counted = request.startOnEnter();
        boolean back = false;
        while (true) {
            LiveParticipant.Placement at = me.enter();
            if (at.place() == LiveParticipant.Place.OUT) { // removed from outside while between ConfBridges
                if (counted) rooms.starterLeft(room);
                removed(room, me, c);
                return new ConferenceResult(ConferenceExit.KICKED, seconds, false);
            }
            Duration timeLeft = Duration.ofSeconds(Math.max(1, limit - seconds));
            boolean onHold = at.place() == LiveParticipant.Place.HOLD;
            if (onHold && counted) {
                rooms.starterLeft(room); // not in the mix while held
                counted = false;
            } else if (!onHold && back) {
                ConferenceRooms.Start start = rooms.start(room, c.startConferenceOnEnter());
                counted = c.startConferenceOnEnter() || start.before();
                request = new ConferenceRequest(request.room(), at.muted(), counted, request.endOnExit(), true,
                        request.maxParticipants(), request.holdClass(), null, timeLeft, request.leaveKey(), sounds);
                if (start.now()) started(room);
            }
            back = false;
            ConferenceResult r;
            boolean moved;
            String ender = null;
            try {
                r = ctx.call().conference(onHold ? holdRequest(me, at, request, ctx, timeLeft) : muted(request,
                        at.muted()));
                // it left on its own (not turned away, not let out by others): its endConferenceOnExit counts
                boolean left = r.joined() && r.exit() != ConferenceExit.KICKED
                        && r.exit() != ConferenceExit.STARTERS_LEFT;
                // recorded before this starter counts as out: the waiters let out decide on it (keepsGoing)
                if (c.endConferenceOnExit() && left && room.endedBy == null) {
                    room.endedBy = ctx.callSid();
                    ender = ConferenceRegistry.ENDER_LEFT;
                }
            } finally {
                moved = me.out();
                if (counted) rooms.starterLeft(room);
                counted = false;
            }
            seconds += r.seconds();
            // from its hold room ConfKick did not reach the others: they are taken out here
            if (ender != null) registry.endedBy(room.live, ctx.callSid(), ender, !onHold);
            if (ctx.call().isGone() || ctx.call().interrupted() || seconds >= limit) {
                return new ConferenceResult(r.exit(), seconds, r.callerHungUp());
            }
            if (r.exit() == ConferenceExit.KICKED && moved) { // held, unheld or removed through the REST API
                back = true;
                continue;
            }
            if (onHold || r.exit() != ConferenceExit.STARTERS_LEFT || !rooms.keepsGoing(room, STARTERS_WAIT)) {
                return new ConferenceResult(r.exit(), seconds, r.callerHungUp());
            }
            log.info("{} Conference \"{}\": the starters left; joining again as a starter", ctx.callSid(),
                    DialTargets.printable(c.name()));
            request = request.asStarter(Duration.ofSeconds(limit - seconds));
        }
    }

    /** A participant with endConferenceOnExit removed through the REST API ends the conference, as on Twilio. */
    private void removed(ConferenceRooms.Room room, LiveParticipant me, Conference c) {
        if (!c.endConferenceOnExit() || room.live.isEnding()) return;
        if (room.endedBy == null) room.endedBy = me.callSid;
        registry.endedBy(room.live, me.callSid, ConferenceRegistry.ENDER_KICKED, false);
    }

    /** A participant on hold waits alone in its own ConfBridge, hearing the hold audio. */
    private ConferenceRequest holdRequest(LiveParticipant me, LiveParticipant.Placement at, ConferenceRequest in,
                                          CallContext ctx, Duration timeLeft) {
        String holdClass = hold.classFor(at.holdUrl(), at.holdMethod(), ctx);
        return new ConferenceRequest(me.holdRoom(), false, true, false, true, 1, holdClass, null, timeLeft,
                in.leaveKey(), sounds);
    }

    private static ConferenceRequest muted(ConferenceRequest r, boolean muted) {
        return r.muted() == muted ? r : new ConferenceRequest(r.room(), muted, r.startOnEnter(), r.endOnExit(),
                r.quiet(), r.maxParticipants(), r.holdClass(), r.recordFile(), r.timeLimit(), r.leaveKey(), r.sounds());
    }

    /** This participant is out; the last one out ends the conference: its record, its end event, its recording. */
    private void conferenceLeft(ConferenceRooms.Room room, LiveParticipant me, ConferenceEvents events) {
        if (!rooms.leave(room)) return;
        registry.closed(room.live, me.removedFor() != null ? ConferenceRegistry.LAST_KICKED
                : ConferenceRegistry.LAST_LEFT);
        if (events != null) {
            ConferenceRecord ended = room.live.record();
            Map<String, String> reason = new LinkedHashMap<>();
            reason.put("ReasonConferenceEnded", ended.reasonConferenceEnded());
            if (ended.callSidEndingConference() != null) {
                reason.put("CallSidEndingConference", ended.callSidEndingConference());
            }
            events.conference("end", reason);
        }
        if (room.onEmpty != null) { // also when this join failed: the conference's recording
            try {
                room.onEmpty.run();
            } catch (RuntimeException e) {
                log.error("{} Conference recording could not be finished: {}", me.callSid, e.toString());
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
