package io.twimlagi.call;

import java.time.Duration;

/** Audio to and from the caller. */
public interface CallMedia {
    /**
     * Plays an audio file to the caller.
     *
     * @param asteriskPath the file as Asterisk sees it, without extension
     * @param stopKeys     DTMF keys that interrupt playback ("" for none)
     * @return the key that interrupted playback, or {@code 0} when it played to the end
     */
    char play(String asteriskPath, String stopKeys);

    /** Sends DTMF to the caller; {@code w} waits 0.5 s, {@code W} 1 s. The digits are already validated. */
    void sendDigits(String digits);

    /** Waits without answering: an unanswered call keeps ringing. */
    void pause(Duration length);

    /**
     * Plays Asterisk's music-on-hold class {@code mohClass} (a name of musiconhold.conf, e.g. {@code default}) for
     * {@code length}, keys ignored; an interrupt stops it as it stops a pause. The music stops afterwards.
     */
    void holdMusic(String mohClass, Duration length);

    /** Waits up to {@code timeout} for one key; returns {@code 0} on timeout. */
    char waitForDigit(Duration timeout);

    /**
     * Records the caller into a WAV file until a key in {@code finishKeys}, {@code silence} of silence
     * ({@link Duration#ZERO} disables it) or {@code maxLength}. A hangup during recording is a result, not an
     * exception: the file is kept and the call is gone afterwards.
     *
     * @param asteriskPath the file as Asterisk sees it, without extension
     */
    Recorded record(String asteriskPath, Duration maxLength, Duration silence, String finishKeys);

    /**
     * Starts recording the whole call in the background (what the caller says and hears) into
     * {@code recording.asteriskFile()}, until {@link #stopCallRecording()} or the call's end.
     */
    void startCallRecording(DialRecording recording);

    /**
     * Stops the recording {@link #startCallRecording} started, also on a call that has ended; true when Asterisk
     * confirmed it closed the file (false: the connection is gone, the file closes when the channel does).
     */
    boolean stopCallRecording();
}
