package io.twimlagi.queue;

import io.twimlagi.call.ConferenceRequest;
import io.twimlagi.call.ConferenceSounds;
import io.twimlagi.media.MediaException;
import io.twimlagi.media.MediaStore;
import io.twimlagi.twilio.Sids;
import io.twimlagi.verbs.Tones;

import java.io.IOException;
import java.time.Duration;

/**
 * The private ConfBridge rooms where a dequeued caller and its agent talk: two members at most, both starters, no
 * sounds, silence while one waits for the other, and either one leaving ends the room for both.
 */
public final class QueueRooms {
    /** Twilio's cap on a call (the caller's side; the agent's is its Dial's timeLimit). */
    static final Duration CALLER_LIMIT = Duration.ofHours(4);

    private final ConferenceSounds sounds;

    public QueueRooms(ConferenceSounds sounds) {
        this.sounds = sounds;
    }

    /** With the silence that replaces ConfBridge's prompts (and the conference beeps, which these rooms never play). */
    public static QueueRooms create(MediaStore store) throws IOException, MediaException {
        return new QueueRooms(new ConferenceSounds(
                store.asteriskName(Tones.wav(store, "join-880hz-200ms", 880, 200)),
                store.asteriskName(Tones.wav(store, "leave-440hz-200ms", 440, 200)),
                store.asteriskName(Tones.wav(store, "silence-100ms", 0, 100))));
    }

    /** A new room's name: {@code twiml-queue-} and 16 random hex digits (shown by {@code confbridge list}). */
    static String newRoom() {
        return "twiml-queue-" + Sids.newQueueSid().substring(2, 18);
    }

    /** A place in {@code room} for {@code timeLimit}; {@code leaveKey} '*' (hangupOnStar) or 0. */
    ConferenceRequest place(String room, Duration timeLimit, char leaveKey) {
        return new ConferenceRequest(room, false, true, true, true, 2, null, null, timeLimit, leaveKey, sounds);
    }
}
