package io.twimlagi.engine;

import java.time.Duration;

/**
 * The one view of a live SIP call the engine and the verb executors have. {@code AgiCall} implements it over
 * FastAGI; tests use an in-memory fake. Every method throws {@link CallGoneException} once the caller has hung up.
 */
public interface Call {
    /** Sends 200 OK; does nothing when the call is already answered. */
    void answer();

    boolean isAnswered();

    /** Runs {@code listener} once, on the call's thread, when the call gets answered (by us or by a bridge). */
    void onAnswer(Runnable listener);

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

    /** Waits up to {@code timeout} for one key; returns {@code 0} on timeout. */
    char waitForDigit(Duration timeout);

    /** How a recording ended. */
    enum RecordEnd { KEY, TIMEOUT, HANGUP }

    /** The result of {@link #record}: {@code key} is the finish key pressed, or 0. */
    record Recorded(RecordEnd end, char key) {
    }

    /**
     * Records the caller into a WAV file until a key in {@code finishKeys}, {@code silence} of silence
     * ({@link Duration#ZERO} disables it) or {@code maxLength}. A hangup during recording is a result, not an
     * exception: the file is kept and the call is gone afterwards.
     *
     * @param asteriskPath the file as Asterisk sees it, without extension
     */
    Recorded record(String asteriskPath, Duration maxLength, Duration silence, String finishKeys);

    /**
     * What Asterisk reports after a blind transfer: {@code status} is TRANSFERSTATUS (SUCCESS, FAILURE,
     * UNSUPPORTED), {@code protocolCode} is TRANSFERSTATUSPROTOCOL (0, or the SIP code of the failure).
     */
    record Transferred(String status, int protocolCode) {
    }

    /**
     * Sends a SIP REFER to the caller (the call must be answered) with {@code referTo} as Refer-To and waits for
     * the outcome Asterisk derives from the response and the NOTIFYs; {@code maxWait} bounds a transfer
     * whose final NOTIFY never comes (the call ends then, status TIMEOUT).
     */
    Transferred transfer(String referTo, java.time.Duration maxWait);

    /**
     * Shows the call's state to the operator: sets these channel variables (TWIML_CALLSID, TWIML_URL,
     * TWIML_VERB), visible with Asterisk's {@code core show channel}. Names are constants of ours.
     */
    void annotate(java.util.Map<String, String> variables);

    /**
     * One destination of a Dial. {@code dialString} is a complete, validated Asterisk dial string
     * ({@code PJSIP/+1555@trunk}, {@code PJSIP/trunk/sip:bob@host}); {@code headers} (validated SIP tokens and
     * values) go on its INVITE; {@code sip} marks a {@code <Sip>} noun.
     */
    record DialLeg(String dialString, java.util.Map<String, String> headers, boolean sip) {
        public DialLeg {
            headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
        }
    }

    /**
     * What {@link #dial} rings: every leg at once (first to answer wins), for {@code timeout}, bridged at most
     * {@code timeLimit}; {@code callerId} (validated, or null = the caller's own) is the From user on the legs;
     * {@code answeredToken} (null = none): when a leg answers, Asterisk runs the dialplan's twiml-dial-answered
     * routine on it, which calls the server back with this token before the bridge (screening {@code url},
     * 200 OK headers); {@code recording} (null = none); {@code ringTone} (a country code of Asterisk's
     * indications, or null) is the ringback the caller hears; {@code watchLegs}: each leg also calls the server
     * back with this token as it is created, before its INVITE (its SIP Call-ID, to report when it rings).
     */
    record DialRequest(java.util.List<DialLeg> legs, Duration timeout, Duration timeLimit, String callerId,
                       boolean hangupOnStar, String answeredToken, DialRecording recording, String ringTone,
                       boolean watchLegs) {
        public DialRequest {
            legs = java.util.List.copyOf(legs);
        }

        public DialRequest(java.util.List<DialLeg> legs, Duration timeout, Duration timeLimit, String callerId,
                           boolean hangupOnStar, String answeredToken, DialRecording recording, String ringTone) {
            this(legs, timeout, timeLimit, callerId, hangupOnStar, answeredToken, recording, ringTone, false);
        }

        public DialRequest(java.util.List<DialLeg> legs, Duration timeout, Duration timeLimit, String callerId,
                           boolean hangupOnStar) {
            this(legs, timeout, timeLimit, callerId, hangupOnStar, null, null, null);
        }
    }

    /**
     * Records the Dial on the caller's channel into {@code asteriskFile} (with extension): from the answer (only
     * while bridged) or from the start of ringing; {@code dual}: two channels (caller, callee) instead of mixed;
     * {@code append}: continue the file (the next attempt of a sequential Dial).
     */
    record DialRecording(String asteriskFile, boolean fromRinging, boolean dual, boolean append) {
        public DialRecording(String asteriskFile, boolean fromRinging, boolean dual) {
            this(asteriskFile, fromRinging, dual, false);
        }
    }

    /**
     * How a Dial ended. {@code status} is Asterisk's DIALSTATUS (ANSWER, BUSY, NOANSWER, CANCEL, CONGESTION,
     * CHANUNAVAIL...); {@code answeredSeconds} the bridged time; {@code sipCode} the deciding leg's final SIP
     * response (200 when answered; 0 when unknown); {@code sipLeg} whether that leg was a {@code <Sip>} noun;
     * {@code sipCallId} that leg's Call-ID (null when unknown); {@code callerHungUp} true when the caller left
     * during the Dial (the call is gone afterwards); {@code legIndex} the deciding leg's index in the request's
     * legs, -1 when unknown; {@code legSipCodes} the last SIP response of every leg, in the request's order
     * (180/183 for a leg cancelled while ringing, 0 when none), empty when Asterisk did not create every leg;
     * {@code refused}: the answered leg was not bridged (its screening said no, or the check failed);
     * {@code recordingClosed}: the request's recording file is closed (StopMixMonitor ran after the Dial), false
     * when that is not known (Asterisk then closes it later, on its own thread).
     */
    record DialResult(String status, int answeredSeconds, int sipCode, boolean sipLeg, String sipCallId,
                      boolean callerHungUp, int legIndex, java.util.List<Integer> legSipCodes, boolean refused,
                      boolean recordingClosed) {
        public DialResult {
            legSipCodes = java.util.List.copyOf(legSipCodes);
        }

        public DialResult(String status, int answeredSeconds, int sipCode, boolean sipLeg, String sipCallId,
                          boolean callerHungUp, int legIndex, java.util.List<Integer> legSipCodes, boolean refused) {
            this(status, answeredSeconds, sipCode, sipLeg, sipCallId, callerHungUp, legIndex, legSipCodes, refused,
                    false);
        }

        public DialResult(String status, int answeredSeconds, int sipCode, boolean sipLeg, String sipCallId,
                          boolean callerHungUp, int legIndex, java.util.List<Integer> legSipCodes) {
            this(status, answeredSeconds, sipCode, sipLeg, sipCallId, callerHungUp, legIndex, legSipCodes, false);
        }

        public DialResult(String status, int answeredSeconds, int sipCode, boolean sipLeg, String sipCallId,
                          boolean callerHungUp) {
            this(status, answeredSeconds, sipCode, sipLeg, sipCallId, callerHungUp, -1, java.util.List.of());
        }

        /** The callee answered and was bridged (not refused before the bridge by the answered-leg routine). */
        public boolean bridged() {
            return "ANSWER".equals(status) && !refused;
        }
    }

    /**
     * Rings the legs and bridges the first that answers; returns when the bridge or the attempt ends. An
     * unanswered caller is answered by Asterisk when a leg answers (answerOnBridge). Unlike the other methods, a
     * caller who hangs up <em>during</em> the Dial is a result ({@code callerHungUp}), not an exception.
     */
    DialResult dial(DialRequest request);

    /**
     * A place in a conference (Asterisk ConfBridge, dynamic profiles). {@code room} is the bridge name, already a
     * safe token; {@code startOnEnter} false waits (hearing {@code holdClass}) until a participant with it true is
     * in; {@code endOnExit} ends the conference for everyone when this participant leaves; {@code quiet}: no join
     * and leave sounds for this participant; {@code holdClass} is the music-on-hold class heard while alone or
     * waiting (null = silence); {@code recordFile} (Asterisk path with extension, or null) records the conference
     * from its start, when this participant creates it: Asterisk writes it as {@link #writtenAs} and renames it to
     * {@code recordFile} once it has closed it, so the file appears under its name complete; {@code sounds} are
     * files Asterisk plays instead of ConfBridge's spoken prompts; {@code leaveKey} ('*' for hangupOnStar, or 0) leaves the conference. A waiting
     * participant ({@code startOnEnter} false) leaves with result ENDMARKED when the last starter leaves.
     */
    record ConferenceRequest(String room, boolean muted, boolean startOnEnter, boolean endOnExit, boolean quiet,
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

    /** Asterisk paths (no extension) of the join/leave beeps and of a short silence (replaces spoken prompts). */
    record ConferenceSounds(String join, String leave, String silence) {
    }

    /**
     * How this participant's time in the conference ended: {@code result} is ConfBridge's CONFBRIDGE_RESULT
     * (HANGUP, KICKED, ENDMARKED, DTMF, TIMEOUT, FAILED); {@code callerHungUp} as for {@link DialResult}.
     */
    record ConferenceResult(String result, int seconds, boolean callerHungUp) {
    }

    /** Joins the caller to a conference until it leaves, is kicked or the conference ends. Answers first. */
    ConferenceResult conference(ConferenceRequest request);

    /** Refuses an unanswered call with this SIP final response; the call is over afterwards. */
    void reject(int sipCode);

    /** Ends the call (BYE when answered). */
    void hangup();

    /** True once the caller hung up or the call was ended. */
    boolean isGone();
}
