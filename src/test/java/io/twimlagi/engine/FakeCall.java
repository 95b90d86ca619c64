package io.twimlagi.engine;

import io.twimlagi.call.AudioLink;
import io.twimlagi.call.AudioLinkEnd;
import io.twimlagi.call.Call;
import io.twimlagi.call.CallGoneException;
import io.twimlagi.call.CallInterrupted;
import io.twimlagi.call.ChannelId;
import io.twimlagi.call.ConferenceExit;
import io.twimlagi.call.ConferenceRequest;
import io.twimlagi.call.ConferenceResult;
import io.twimlagi.call.DialLeg;
import io.twimlagi.call.DialOutcome;
import io.twimlagi.call.DialRecording;
import io.twimlagi.call.DialRequest;
import io.twimlagi.call.DialResult;
import io.twimlagi.call.Recorded;
import io.twimlagi.call.Recorded.RecordEnd;
import io.twimlagi.call.TransferResult;
import io.twimlagi.call.TransferStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** An in-memory {@link Call} that records what was asked of it, for executor and walker tests. */
public final class FakeCall implements Call {
    public final List<String> events = new ArrayList<>();
    private final Deque<Character> keys = new ArrayDeque<>();
    private boolean answered;
    private volatile boolean gone;
    private volatile boolean interrupted;
    /** Hang up (as the caller) when this event index is reached; -1 never. */
    private int hangupAtEvent = -1;
    /** Runs at the start of each media command (a test's other thread acting mid-verb); null = none. */
    public Runnable duringMedia;
    /** pause() and waitForDigit() take their time (ended early by an interrupt) instead of returning at once. */
    public volatile boolean waitsForReal;

    public FakeCall pressAfterwards(char key) {
        keys.add(key);
        return this;
    }

    public FakeCall callerHangsUpAtEvent(int index) {
        hangupAtEvent = index;
        return this;
    }

    /** Answered before we got it (a Dial's answered leg): no "answer" event, no listener. */
    public FakeCall alreadyAnswered() {
        answered = true;
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

    /** A media command: an interrupt stops it (before or, through {@link #duringMedia}, while it runs). */
    private void media(String e) {
        if (interrupted) throw new CallInterrupted();
        event(e);
        if (duringMedia != null) duringMedia.run();
        if (interrupted) throw new CallInterrupted();
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
        media("play " + asteriskPath + (stopKeys.isEmpty() ? "" : " stop=" + stopKeys));
        Character k = keys.poll();
        return k == null ? 0 : k;
    }

    @Override
    public void sendDigits(String digits) {
        event("dtmf " + digits);
    }

    @Override
    public void pause(Duration length) {
        media("pause " + length.toMillis() + "ms");
        takeTime(length);
    }

    @Override
    public void holdMusic(String mohClass, Duration length) {
        media("moh " + mohClass + " " + length.toMillis() + "ms");
        takeTime(length);
    }

    @Override
    public char waitForDigit(Duration timeout) {
        media("wait-digit " + timeout.toMillis() + "ms");
        Character k = keys.poll();
        if (k == null) takeTime(timeout);
        return k == null ? 0 : k;
    }

    private synchronized void takeTime(Duration length) {
        if (!waitsForReal) return;
        long end = System.nanoTime() + length.toNanos();
        try {
            for (long left = end - System.nanoTime(); left > 0 && !interrupted; left = end - System.nanoTime()) {
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (interrupted) throw new CallInterrupted();
    }

    @Override
    public synchronized void interrupt() {
        interrupted = true;
        notifyAll();
        AudioLink link = inLink;
        if (link != null) link.hangUp();
    }

    @Override
    public void clearInterrupt() {
        interrupted = false;
    }

    @Override
    public boolean interrupted() {
        return interrupted;
    }

    /** What the next record() returns; the default is a timeout. */
    public Recorded nextRecording = new Recorded(RecordEnd.TIMEOUT, (char) 0);
    /** WAV bytes record() writes to {@code asteriskPath + ".wav"} (tests map the Asterisk folder to the host's). */
    public byte[] recordedAudio;

    /** The whole-call recording started (null: none); {@code callRecordingStopped} once stopped. */
    public DialRecording callRecording;
    public boolean callRecordingStopped;

    @Override
    public void startCallRecording(DialRecording recording) {
        event("record call " + recording.asteriskFile());
        callRecording = recording;
    }

    @Override
    public boolean stopCallRecording() {
        events.add("stop recording call"); // Asterisk allows it on a hung-up channel
        callRecordingStopped = true;
        if (recordedAudio != null && callRecording != null) { // what MixMonitor wrote, where Asterisk writes it
            try {
                Files.write(Path.of(callRecording.asteriskFile()), recordedAudio);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return true;
    }

    @Override
    public Recorded record(String asteriskPath, Duration maxLength, Duration silence, String finishKeys) {
        event("record " + asteriskPath + " max=" + maxLength.toSeconds() + "s silence=" + silence.toSeconds()
                + "s keys=" + finishKeys);
        if (recordedAudio != null) {
            try {
                Files.write(Path.of(asteriskPath + ".wav"), recordedAudio);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (nextRecording.end() == RecordEnd.HANGUP) gone = true;
        return nextRecording;
    }

    /** What the next transfer() returns. */
    public TransferResult nextTransfer = new TransferResult(TransferStatus.SUCCEEDED, 0);

    /** When set, what transfer() does after recording the event (may throw CallGoneException); else nextTransfer. */
    public Supplier<TransferResult> onTransfer;

    @Override
    public TransferResult transfer(String referTo, Duration maxWait) {
        event("transfer " + referTo);
        return onTransfer != null ? onTransfer.get() : nextTransfer;
    }

    /** The channel variables set so far. */
    public final Map<String, String> variables = new LinkedHashMap<>();

    @Override
    public void annotate(Map<String, String> vars) {
        if (gone) throw new CallGoneException();
        variables.putAll(vars); // not an event: tests of the call's audible behaviour ignore it
    }

    /** What the next conference() returns; the request is kept in {@link #lastConference}. */
    public ConferenceResult nextConference = new ConferenceResult(ConferenceExit.HUNG_UP, 5, false);
    public ConferenceRequest lastConference;

    /** Runs while this call is in the conference (another participant joining meanwhile). */
    public Consumer<ConferenceRequest> duringConference;

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
    public DialResult nextDial = new DialResult(DialOutcome.ANSWERED, 12, 200, false, null, false);
    public DialRequest lastDial;
    /** Runs inside dial() once the request is kept (e.g. plays Asterisk's answered-leg callback); null = none. */
    public Consumer<DialRequest> duringDial;

    @Override
    public DialResult dial(DialRequest request) {
        event("dial " + request.legs().stream().map(DialLeg::dialString).collect(Collectors.joining("&"))
                + " timeout=" + request.timeout().toSeconds() + "s");
        lastDial = request;
        if (duringDial != null) duringDial.accept(request);
        if (nextDial.answered() && !answered) { // Asterisk answers the caller on bridge
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

    @Override
    public void hangupReported() {
        gone = true;
    }

    /** Asterisk's names for this call (several fake calls in one conference need their own). */
    public ChannelId channelId = new ChannelId("PJSIP/fake-00000001", "1700000000.1");

    @Override
    public ChannelId channel() {
        return channelId;
    }

    /** What linkAudio() does while it runs (a test's fake Asterisk); null: the link ends at once. */
    public Function<AudioLink, AudioLinkEnd> onLinkAudio;
    /** What forkAudio() answers (a test's fake Asterisk may connect the link); null: started. */
    public Predicate<AudioLink> onForkAudio;
    private volatile AudioLink inLink;

    @Override
    public AudioLinkEnd linkAudio(AudioLink link) {
        media("linkAudio");
        inLink = link;
        AudioLinkEnd end;
        try {
            end = onLinkAudio == null ? AudioLinkEnd.ENDED : onLinkAudio.apply(link);
        } finally {
            inLink = null;
        }
        if (end == AudioLinkEnd.CALLER_HUNG_UP) gone = true;
        else if (interrupted) throw new CallInterrupted();
        return end;
    }

    @Override
    public boolean forkAudio(AudioLink link) {
        event("forkAudio");
        return onForkAudio == null || onForkAudio.test(link);
    }
}
