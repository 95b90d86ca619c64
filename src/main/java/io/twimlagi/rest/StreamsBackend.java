package io.twimlagi.rest;

import java.util.Optional;

/** What the Streams subresource needs from the server: stopping a call's running unidirectional stream. */
public interface StreamsBackend {
    /** A stream as the resource shows it once stopped; {@code name} null when it had none. */
    record StoppedStream(String sid, String accountSid, String callSid, String name, String dateUpdated) {
    }

    /** Stops the call's running unidirectional stream with this sid or name; empty when there is none. */
    Optional<StoppedStream> stop(String callSid, String sidOrName);
}
