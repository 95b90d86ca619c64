package io.twimlagi.call;

import java.time.Duration;

/**
 * A place in a conference (Asterisk ConfBridge, dynamic profiles). {@code room} is the bridge name, already a
 * safe token; {@code startOnEnter} false waits (hearing {@code holdClass}) until a participant with it true is
 * in; {@code endOnExit} ends the conference for everyone when this participant leaves; {@code quiet}: no join
 * and leave sounds for this participant; {@code holdClass} is the music-on-hold class heard while alone or
 * waiting (null = silence); {@code recordFile} (Asterisk path with extension, or null) records the conference
 * from its start, when this participant creates it: Asterisk writes it as {@link #writtenAs} and renames it to
 * {@code recordFile} once it has closed it, so the file appears under its name complete; {@code sounds} are files
 * Asterisk plays instead of ConfBridge's spoken prompts; {@code leaveKey} ('*' for hangupOnStar, or 0) leaves the conference. A waiting
 * participant ({@code startOnEnter} false) leaves with {@link ConferenceExit#STARTERS_LEFT} when the last starter
 * leaves.
 */
public record ConferenceRequest(String room, boolean muted, boolean startOnEnter, boolean endOnExit, boolean quiet,
                                int maxParticipants, String holdClass, String recordFile, Duration timeLimit,
                                char leaveKey, ConferenceSounds sounds) {
    /** Where Asterisk writes {@code recordFile} until it has closed it: {@code <name>.part.<extension>}. */
    public static String writtenAs(String recordFile) {
        int dot = recordFile.lastIndexOf('.');
        if (dot <= recordFile.lastIndexOf('/')) throw new IllegalArgumentException("no extension: " + recordFile);
        return recordFile.substring(0, dot) + ".part" + recordFile.substring(dot);
    }

    /** The same place joined again as a starter: no join sound again, no recording, {@code timeLimit} left. */
    public ConferenceRequest asStarter(Duration timeLeft) {
        return new ConferenceRequest(room, muted, true, endOnExit, true, maxParticipants, holdClass, null,
                timeLeft, leaveKey, sounds);
    }
}
