package io.twimlagi.server;

import io.twimlagi.rest.StreamsBackend;
import io.twimlagi.stream.MediaStreams;

import java.util.Optional;

/** The Streams subresource on this server: the running unidirectional streams of {@link MediaStreams}. */
final class RestStreams implements StreamsBackend {
    private final MediaStreams streams;
    private final String accountSid;

    private RestStreams(MediaStreams streams, String accountSid) {
        this.streams = streams;
        this.accountSid = accountSid;
    }

    /** Null when Media Streams are off (no Streams subresource then). */
    static RestStreams of(Services services) {
        MediaStreams s = services.streams();
        return s == null ? null : new RestStreams(s, services.general().accountSid());
    }

    @Override
    public Optional<StoppedStream> stop(String callSid, String sidOrName) {
        return streams.stopFromRest(accountSid, callSid, sidOrName)
                .map(s -> new StoppedStream(s.sid(), s.accountSid(), s.callSid(), s.name(), s.dateUpdated()));
    }
}
