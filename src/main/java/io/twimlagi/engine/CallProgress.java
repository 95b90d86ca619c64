package io.twimlagi.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * What happened on one call, for its end-of-call log line, metrics and status callbacks: verbs run, fetch
 * timings, when it was answered, and the final SIP response sent to the caller.
 */
public final class CallProgress {
    private final long startMillis = System.currentTimeMillis();
    private final List<String> verbs = new ArrayList<>();
    private final List<String> fetches = new ArrayList<>();
    private long answeredMillis;
    private int rejectCode;

    void verb(String name) {
        verbs.add(name);
    }

    /** A document fetch: {@code outcome} is the HTTP status, or "errorNNNNN" with Twilio's code (no spaces). */
    void fetch(String outcome, long millis) {
        fetches.add(outcome + "/" + millis + "ms");
    }

    /** The call was answered now (the first time counts). */
    public void answered() {
        if (answeredMillis == 0) answeredMillis = System.currentTimeMillis();
    }

    /** The call was refused with this SIP final response before answer. */
    public void rejected(int sipCode) {
        rejectCode = sipCode;
    }

    public long startMillis() {
        return startMillis;
    }

    public boolean wasAnswered() {
        return answeredMillis != 0;
    }

    /** Seconds between answer and now (Twilio's CallDuration); 0 when never answered. */
    public long durationSeconds() {
        return answeredMillis == 0 ? 0 : Math.round((System.currentTimeMillis() - answeredMillis) / 1000.0);
    }

    /**
     * The final SIP response the caller got: 200 when answered, the rejection code, else 487 (the caller
     * cancelled while it rang).
     */
    public int finalSipCode() {
        if (answeredMillis != 0) return 200;
        return rejectCode != 0 ? rejectCode : 487;
    }

    /**
     * Twilio's terminal CallStatus: completed once answered; busy for 486; no-answer for a 404 rejection
     * (Twilio: a rejected call ends busy or no-answer by reason); canceled when the caller hung up while it
     * rang; failed for the rest (500 application error, 503).
     */
    public String terminalStatus() {
        if (answeredMillis != 0) return "completed";
        return switch (finalSipCode()) {
            case 486 -> "busy";
            case 404 -> "no-answer";
            case 487 -> "canceled";
            default -> "failed";
        };
    }

    public List<String> verbs() {
        return List.copyOf(verbs);
    }

    public List<String> fetches() {
        return List.copyOf(fetches);
    }
}
