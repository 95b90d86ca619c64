package io.twimlagi.twiml;

/** {@code trim} of Record, Dial and Conference: whether leading and trailing silence is cut from the recording. */
public enum Trim implements TwimlValue {
    TRIM_SILENCE("trim-silence"),
    DO_NOT_TRIM("do-not-trim");

    private final String value;

    Trim(String value) {
        this.value = value;
    }

    @Override public String value() { return value; }

    @Override public String toString() { return value; }
}
