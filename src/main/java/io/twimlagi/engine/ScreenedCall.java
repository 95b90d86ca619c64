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

    private long deadline = Long.MAX_VALUE;

    /**
     * Bounds the screening: Asterisk runs it inside Dial's U() routine, where TIMEOUT() cannot be set, so every
     * wait is cut at the deadline and every command after it ends the screening (not connected).
     */
    void bound(Duration limit) {
        deadline = System.nanoTime() + limit.toNanos();
    }

    private Duration left() {
        long ns = deadline - System.nanoTime();
        if (ns <= 0) {
            refused = true;
            throw new CallGoneException();
        }
        return Duration.ofNanos(ns);
    }

    private void overtime() {
        deadline = System.nanoTime(); // whatever the clock says now, the time is up
        refused = true;
        throw new CallGoneException();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override public void answer() { } // answered already: that is what started the screening
    @Override public boolean isAnswered() { return true; }
    @Override public void onAnswer(Runnable listener) { }

    @Override
    public char play(String asteriskPath, String stopKeys) {
        left();
        return callee.play(asteriskPath, stopKeys);
    }

    @Override
    public void sendDigits(String digits) {
        left();
        callee.sendDigits(digits);
    }

    @Override
    public void pause(Duration length) {
        Duration left = left();
        callee.pause(min(length, left));
        if (length.compareTo(left) > 0) overtime(); // cut short at the deadline: the screening is over
    }

    @Override
    public char waitForDigit(Duration timeout) {
        Duration left = left();
        char key = callee.waitForDigit(min(timeout, left));
        if (key == 0 && timeout.compareTo(left) > 0) overtime();
        return key;
    }

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
