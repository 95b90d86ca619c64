package io.twimlagi.call;

/** How this participant's time in the conference ended; {@code callerHungUp} as for {@link DialResult}. */
public record ConferenceResult(ConferenceExit exit, int seconds, boolean callerHungUp) {
    /** False when the participant never got in. */
    public boolean joined() {
        return exit != ConferenceExit.NOT_JOINED;
    }
}
