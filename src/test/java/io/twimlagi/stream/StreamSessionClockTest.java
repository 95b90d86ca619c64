package io.twimlagi.stream;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A bidirectional stream leaves the stream clock when it ends, whatever the order its events come in. */
class StreamSessionClockTest {
    private static StreamSession session(StreamClock clock) {
        StreamSpec spec = new StreamSpec("MZ00000000000000000000000000000001", "s", "wss://bot.example.com/s",
                Tracks.INBOUND, Map.of(), null, null);
        return new StreamSession(spec, true, false, "CA00000000000000000000000000000001",
                "AC00000000000000000000000000000001", clock, new StreamCallbacks(null, null, null, "AC", "CA", "MZ", "s"),
                s -> { });
    }

    @Test
    void aStreamEndedWhileAsteriskConnectedIsNotLeftOnTheClock() {
        try (StreamClock clock = new StreamClock()) {
            StreamSession s = session(clock);
            // the AudioSocket reader attached the link, then the call ended (finish, the link's hangup and its
            // closed()) before the reader told the session it connected
            s.end(StreamSession.End.CALL_ENDED, null);
            s.closed();
            s.connected();
            assertEquals(0, clock.size(), "an ended stream ticked (and held its playout) for the server's life");
        }
    }

    @Test
    void aConnectedStreamTicksUntilItEnds() {
        try (StreamClock clock = new StreamClock()) {
            StreamSession s = session(clock);
            s.connected();
            assertEquals(1, clock.size());
            s.end(StreamSession.End.CALL_ENDED, null);
            assertEquals(0, clock.size());
        }
    }
}
