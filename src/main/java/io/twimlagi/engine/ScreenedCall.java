package io.twimlagi.engine;

import java.time.Duration;
import java.util.Map;

/**
 * The called party while a Dial noun's screening {@code url} runs on it (after its answer, before the bridge):
 * the verbs play and gather on the callee; {@code <Hangup>} does not hang up but marks the leg refused, so Asterisk
 * ends it and the caller's Dial returns unconnected. Verbs that make no sense there fail.
 */
final class ScreenedCall implements Call {
    private final Call callee;
    private boolean refused;

    ScreenedCall(Call callee) {
        this.callee = callee;
    }

    boolean refused() {
        return refused;
    }

    @Override public void answer() { } // answered already: that is what started the screening
    @Override public boolean isAnswered() { return true; }
    @Override public void onAnswer(Runnable listener) { }
    @Override public char play(String asteriskPath, String stopKeys) { return callee.play(asteriskPath, stopKeys); }
    @Override public void sendDigits(String digits) { callee.sendDigits(digits); }
    @Override public void pause(Duration length) { callee.pause(length); }
    @Override public char waitForDigit(Duration timeout) { return callee.waitForDigit(timeout); }
    @Override public void annotate(Map<String, String> variables) { callee.annotate(variables); }

    @Override
    public Recorded record(String asteriskPath, Duration maxLength, Duration silence, String finishKeys) {
        throw new IllegalStateException("<Record> is not allowed in a screening document");
    }

    @Override
    public Transferred transfer(String referTo, Duration maxWait) {
        throw new IllegalStateException("<Refer> is not allowed in a screening document");
    }

    @Override
    public DialResult dial(DialRequest request) {
        throw new IllegalStateException("error 13201: <Dial> is not allowed in a screening document");
    }

    @Override
    public ConferenceResult conference(ConferenceRequest request) {
        throw new IllegalStateException("error 13201: <Dial> is not allowed in a screening document");
    }

    @Override
    public void reject(int sipCode) {
        refused = true;
    }

    @Override
    public void hangup() {
        refused = true;
    }

    @Override
    public boolean isGone() {
        return refused || callee.isGone();
    }
}
