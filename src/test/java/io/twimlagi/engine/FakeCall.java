package io.twimlagi.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** An in-memory {@link Call} that records what was asked of it, for executor and interpreter tests. */
public final class FakeCall implements Call {
    public final List<String> events = new ArrayList<>();
    private final Deque<Character> keys = new ArrayDeque<>();
    private boolean answered;
    private boolean gone;
    /** Hang up (as the caller) when this event index is reached; -1 never. */
    private int hangupAtEvent = -1;

    public FakeCall pressAfterwards(char key) {
        keys.add(key);
        return this;
    }

    public FakeCall callerHangsUpAtEvent(int index) {
        hangupAtEvent = index;
        return this;
    }

    private void event(String e) {
        if (gone) throw new CallGoneException();
        events.add(e);
        if (events.size() - 1 == hangupAtEvent) {
            gone = true;
            throw new CallGoneException();
        }
    }

    private Runnable onAnswer = () -> { };

    @Override
    public void onAnswer(Runnable listener) {
        onAnswer = listener;
    }

    @Override
    public void answer() {
        if (answered) return;
        event("answer");
        answered = true;
        onAnswer.run();
    }

    @Override
    public boolean isAnswered() {
        return answered;
    }

    @Override
    public char play(String asteriskPath, String stopKeys) {
        event("play " + asteriskPath + (stopKeys.isEmpty() ? "" : " stop=" + stopKeys));
        Character k = keys.poll();
        return k == null ? 0 : k;
    }

    @Override
    public void sendDigits(String digits) {
        event("dtmf " + digits);
    }

    @Override
    public void pause(Duration length) {
        event("pause " + length.toMillis() + "ms");
    }

    @Override
    public char waitForDigit(Duration timeout) {
        event("wait-digit " + timeout.toMillis() + "ms");
        Character k = keys.poll();
        return k == null ? 0 : k;
    }

    /** What the next record() returns; the default is a timeout. */
    public Recorded nextRecording = new Recorded(RecordEnd.TIMEOUT, (char) 0);
    /** WAV bytes record() writes to {@code asteriskPath + ".wav"} (tests map the Asterisk folder to the host's). */
    public byte[] recordedAudio;

    @Override
    public Recorded record(String asteriskPath, Duration maxLength, Duration silence, String finishKeys) {
        event("record " + asteriskPath + " max=" + maxLength.toSeconds() + "s silence=" + silence.toSeconds()
                + "s keys=" + finishKeys);
        if (recordedAudio != null) {
            try {
                java.nio.file.Files.write(java.nio.file.Path.of(asteriskPath + ".wav"), recordedAudio);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (nextRecording.end() == RecordEnd.HANGUP) gone = true;
        return nextRecording;
    }

    /** What the next transfer() returns. */
    public Transferred nextTransfer = new Transferred("SUCCESS", 0);

    /** When set, what transfer() does after recording the event (may throw CallGoneException); else nextTransfer. */
    public java.util.function.Supplier<Transferred> onTransfer;

    @Override
    public Transferred transfer(String referTo, Duration maxWait) {
        event("transfer " + referTo);
        return onTransfer != null ? onTransfer.get() : nextTransfer;
    }

    /** The channel variables set so far. */
    public final java.util.Map<String, String> variables = new java.util.LinkedHashMap<>();

    @Override
    public void annotate(java.util.Map<String, String> vars) {
        if (gone) throw new CallGoneException();
        variables.putAll(vars); // not an event: tests of the call's audible behaviour ignore it
    }

    /** What the next conference() returns; the request is kept in {@link #lastConference}. */
    public ConferenceResult nextConference = new ConferenceResult("HANGUP", 5, false);
    public ConferenceRequest lastConference;

    /** Runs while this call is in the conference (another participant joining meanwhile). */
    public java.util.function.Consumer<ConferenceRequest> duringConference;

    @Override
    public ConferenceResult conference(ConferenceRequest request) {
        answer();
        event("conference " + request.room());
        lastConference = request;
        if (duringConference != null) duringConference.accept(request);
        if (nextConference.callerHungUp()) gone = true;
        return nextConference;
    }

    /** What the next dial() returns; the request is kept in {@link #lastDial}. */
    public DialResult nextDial = new DialResult("ANSWER", 12, 200, false, null, false);
    public DialRequest lastDial;
    /** Runs inside dial() once the request is kept (e.g. plays Asterisk's answered-leg callback); null = none. */
    public java.util.function.Consumer<DialRequest> duringDial;

    @Override
    public DialResult dial(DialRequest request) {
        event("dial " + request.legs().stream().map(DialLeg::dialString).collect(java.util.stream.Collectors.joining("&"))
                + " timeout=" + request.timeout().toSeconds() + "s");
        lastDial = request;
        if (duringDial != null) duringDial.accept(request);
        if (nextDial.status().equals("ANSWER") && !answered) { // Asterisk answers the caller on bridge
            answered = true;
            onAnswer.run();
        }
        if (nextDial.callerHungUp()) gone = true;
        return nextDial;
    }

    @Override
    public void reject(int sipCode) {
        event("reject " + sipCode);
        gone = true;
    }

    @Override
    public void hangup() {
        if (gone) return;
        event("hangup");
        gone = true;
    }

    @Override
    public boolean isGone() {
        return gone;
    }
}
