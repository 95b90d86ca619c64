package io.twimlagi.verbs;

/** Twilio's loop attribute: 0 means "until the caller hangs up", which Twilio caps at 1000 iterations. */
public final class Loops {
    static final int UNTIL_HANGUP_CAP = 1000;

    private Loops() {
    }

    public static int count(int loop) {
        return loop <= 0 ? UNTIL_HANGUP_CAP : loop;
    }
}
