package io.twimlagi.agi;

import java.util.function.BooleanSupplier;

/**
 * Ends the Dial or ConfBridge a call's channel is in, from another thread, so that a live update takes effect at
 * once: while Asterisk runs such an application, AGI accepts no command that would stop it (the server's Manager
 * Interface does it: {@code server.AmiBridgeBreaker}). Without one, the update waits until the bridge ends.
 */
public interface BridgeBreaker {
    /** No way to break a bridge (no Manager Interface). */
    BridgeBreaker NONE = (channel, app, stillRunning) -> { };

    /** The blocking application a channel runs. */
    sealed interface App permits DialApp, ConferenceApp {
    }

    /** Asterisk's Dial: its legs are listed in the caller's {@code TWIML_DIAL_LEGS} ({@link AgiDialer}). */
    record DialApp() implements App {
    }

    /** ConfBridge, in the bridge named {@code room}. */
    record ConferenceApp(String room) implements App {
    }

    /**
     * Ends {@code app} on {@code channel} (its legs hung up, or the channel taken out of the conference), trying again
     * while {@code stillRunning} says the call has not left it (the legs may not exist yet). Returns at once.
     */
    void breakOut(String channel, App app, BooleanSupplier stillRunning);
}
