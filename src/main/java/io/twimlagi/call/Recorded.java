package io.twimlagi.call;

/** The result of {@link CallMedia#record}: how it ended and the finish key pressed ({@code key}, or 0). */
public record Recorded(RecordEnd end, char key) {
    /** How a recording ended. */
    public enum RecordEnd { KEY, TIMEOUT, HANGUP }
}
