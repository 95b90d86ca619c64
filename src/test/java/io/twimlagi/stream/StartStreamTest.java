package io.twimlagi.stream;

import io.twimlagi.audiosocket.FakeAudioSocket;
import io.twimlagi.engine.Outcome;
import io.twimlagi.twiml.Start;
import io.twimlagi.twiml.Stop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.twimlagi.stream.ConnectStreamTest.WAIT;
import static io.twimlagi.stream.ConnectStreamTest.pcm;
import static io.twimlagi.stream.ConnectStreamTest.ulawFrame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code <Start><Stream>} and {@code <Stop><Stream>}: the fork's stereo frames (what ChanSpy's D option gives: left
 * the caller, right what the caller hears) split into Twilio's tracks, the TwiML going on at once, and every way a
 * fork ends.
 */
class StartStreamTest {
    final StreamFixture f;
    final List<FakeAudioSocket> asterisks = new ArrayList<>();

    StartStreamTest() throws Exception {
        f = new StreamFixture();
        f.call.onForkAudio = link -> { // Originate(AudioSocket/...,app,ChanSpy,...): the spy channel connects
            asterisks.add(FakeAudioSocket.connect(link.address(), link.id()));
            return true;
        };
    }

    @AfterEach
    void close() {
        asterisks.forEach(FakeAudioSocket::close);
        f.close();
    }

    Outcome start(String xml) throws Exception {
        return new StartStreamExecutor(f.streams).execute((Start) f.verb(xml), f.ctx);
    }

    Outcome stop(String xml) throws Exception {
        return new StopStreamExecutor(f.streams).execute((Stop) f.verb(xml), f.ctx);
    }

    /** A stereo frame: the caller's {@code in}, what the caller hears {@code out}. */
    static byte[] stereo(byte[] in, byte[] out) {
        byte[] l = pcm(in);
        byte[] r = pcm(out);
        byte[] s = new byte[l.length * 2];
        for (int i = 0; i < l.length / 2; i++) {
            s[4 * i] = l[2 * i];
            s[4 * i + 1] = l[2 * i + 1];
            s[4 * i + 2] = r[2 * i];
            s[4 * i + 3] = r[2 * i + 1];
        }
        return s;
    }

    @Test
    void bothTracksArriveApartAndTheTwimlGoesOnAtOnce() throws Exception {
        Outcome o = start("<Start><Stream url=\"{app}/stream/fork\" name=\"notes\" track=\"both_tracks\" "
                + "statusCallback=\"{http}/status\"/></Start>");
        assertEquals(Outcome.NEXT, o);
        assertEquals(List.of("answer", "forkAudio"), f.call.events);
        StreamApp.Connection app = f.app.awaitConnection(WAIT);
        var start = app.awaitEvent("start", WAIT).json().getAsJsonObject("start");
        assertEquals("[\"inbound\",\"outbound\"]", start.get("tracks").toString());

        FakeAudioSocket spy = asterisks.get(0);
        for (int i = 0; i < 5; i++) spy.sendAudio(stereo(ulawFrame(i), ulawFrame(100 + i)));
        app.await(m -> m.event().equals("media") && m.json().getAsJsonObject("media").get("chunk").getAsString()
                .equals("5") && m.track().equals("outbound"), WAIT);
        List<StreamApp.Message> in = app.events("media").stream().filter(m -> m.track().equals("inbound")).toList();
        List<StreamApp.Message> out = app.events("media").stream().filter(m -> m.track().equals("outbound")).toList();
        assertEquals(5, in.size());
        assertEquals(5, out.size());
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(ulawFrame(i), in.get(i).payload(), "inbound = what the caller says");
            assertArrayEquals(ulawFrame(100 + i), out.get(i).payload(), "outbound = what the caller hears");
            assertEquals(Integer.toString(i + 1), in.get(i).json().getAsJsonObject("media").get("chunk")
                    .getAsString(), "chunks counted per track");
        }
        assertTrue(app.events("dtmf").isEmpty());

        assertEquals(Outcome.NEXT, stop("<Stop><Stream name=\"notes\"/></Stop>"));
        app.awaitEvent("stop", WAIT);
        assertTrue(app.awaitClosed(WAIT));
        assertTrue(spy.awaitClosedByServer(WAIT), "the spy channel is hung up: ChanSpy ends");
        assertEquals("stream-stopped", f.app.awaitCallback("stream-stopped", WAIT).get("StreamEvent"));
        assertEquals(0, f.streams.running(StreamFixture.CALL_SID));
    }

    @Test
    void theDefaultTrackIsTheCallersOnly() throws Exception {
        start("<Start><Stream url=\"{app}/stream\"/></Start>");
        StreamApp.Connection app = f.app.awaitConnection(WAIT);
        assertEquals("[\"inbound\"]", app.awaitEvent("start", WAIT).json().getAsJsonObject("start").get("tracks")
                .toString());
        asterisks.get(0).sendAudio(stereo(ulawFrame(1), ulawFrame(2)));
        asterisks.get(0).sendAudio(stereo(ulawFrame(3), ulawFrame(4)));
        app.await(m -> m.event().equals("media") && m.json().getAsJsonObject("media").get("chunk").getAsString()
                .equals("2"), WAIT);
        assertEquals(List.of("inbound", "inbound"), app.events("media").stream().map(StreamApp.Message::track)
                .toList());
        assertArrayEquals(ulawFrame(3), app.events("media").get(1).payload());
    }

    @Test
    void theCallsEndStopsTheFork() throws Exception {
        start("<Start><Stream url=\"{app}/stream\" statusCallback=\"{http}/status\"/></Start>");
        StreamApp.Connection app = f.app.awaitConnection(WAIT);
        app.awaitEvent("start", WAIT);
        asterisks.get(0).close(); // ChanSpy's E: the spied channel hung up, so does the spy channel
        app.awaitEvent("stop", WAIT);
        f.app.awaitCallback("stream-stopped", WAIT);
        assertEquals(0, f.streams.running(StreamFixture.CALL_SID));
    }

    @Test
    void theRestApiStopsAStreamByNameOrSid() throws Exception {
        start("<Start><Stream url=\"{app}/stream/a\" name=\"a\"/><Stream url=\"{app}/stream/b\"/></Start>");
        f.app.awaitConnection(2, WAIT);
        StreamApp.Connection first = f.app.connections().stream().filter(c -> c.path.equals("/stream/a"))
                .findFirst().orElseThrow();
        StreamApp.Connection second = f.app.connections().stream().filter(c -> c.path.equals("/stream/b"))
                .findFirst().orElseThrow();
        String secondSid = second.streamSid();
        Optional<MediaStreams.Stopped> byName = f.streams.stopFromRest(StreamFixture.ACCOUNT, StreamFixture.CALL_SID,
                "a");
        assertTrue(byName.isPresent());
        assertEquals("a", byName.get().name());
        first.awaitEvent("stop", WAIT);
        Optional<MediaStreams.Stopped> bySid = f.streams.stopFromRest(StreamFixture.ACCOUNT,
                StreamFixture.CALL_SID, secondSid);
        assertEquals(secondSid, bySid.orElseThrow().sid());
        second.awaitEvent("stop", WAIT);
        assertTrue(f.streams.stopFromRest(StreamFixture.ACCOUNT, StreamFixture.CALL_SID, secondSid).isEmpty(),
                "stopped already");
    }

    @Test
    void anUnreachableAppIsStreamErrorAndTheSpyIsHungUp() throws Exception {
        assertEquals(Outcome.NEXT, start("<Start><Stream url=\"ws://127.0.0.1:1/x\" statusCallback=\"{http}/status\"/>"
                + "</Start>"));
        f.app.awaitCallback("stream-error", WAIT);
        assertTrue(asterisks.get(0).awaitClosedByServer(WAIT));
        assertEquals(0, f.streams.running(StreamFixture.CALL_SID));
    }

    @Test
    void asteriskNotStartingTheCopyIsStreamError() throws Exception {
        f.call.onForkAudio = link -> false;
        assertEquals(Outcome.NEXT, start("<Start><Stream url=\"{app}/stream\" statusCallback=\"{http}/status\"/>"
                + "</Start>"));
        assertTrue(f.app.awaitCallback("stream-error", WAIT).get("StreamError").contains("could not start"));
        assertEquals(0, f.streams.running(StreamFixture.CALL_SID));
    }

    @Test
    void namesAreUniquePerCallAndFourForksAtMost() throws Exception {
        start("<Start><Stream url=\"{app}/stream\" name=\"x\"/><Stream url=\"{app}/stream\" name=\"x\"/></Start>");
        assertEquals(1, f.streams.running(StreamFixture.CALL_SID), "the second x is refused");
        start("<Start><Stream url=\"{app}/stream\"/><Stream url=\"{app}/stream\"/><Stream url=\"{app}/stream\"/>"
                + "</Start>");
        assertEquals(MediaStreams.MAX_FORKS_PER_CALL, f.streams.running(StreamFixture.CALL_SID));
        stop("<Stop><Stream/></Stop>");
        assertEquals(0, f.streams.running(StreamFixture.CALL_SID), "a Stop without a name stops them all");
    }

    @Test
    void messagesFromAUnidirectionalStreamsAppAreIgnored() throws Exception {
        start("<Start><Stream url=\"{app}/stream\"/></Start>");
        StreamApp.Connection app = f.app.awaitConnection(WAIT);
        app.sendMedia(ulawFrame(1));
        app.sendMark("x");
        asterisks.get(0).sendAudio(stereo(ulawFrame(5), ulawFrame(6)));
        app.awaitEvent("media", WAIT);
        assertTrue(asterisks.get(0).received().isEmpty(), "nothing is played on a fork");
        assertTrue(app.events("mark").isEmpty());
    }

    @Test
    void otherNounsAreSkippedAndTheTwimlGoesOn() throws Exception {
        assertEquals(Outcome.NEXT, start("<Start><Transcription/></Start>"));
        assertEquals(List.of(), f.call.events);
        assertEquals(Outcome.NEXT, stop("<Stop><Siprec name=\"x\"/></Stop>"));
    }

    @Test
    void aStartActionIsRequestedAfterwards() throws Exception {
        Outcome o = start("<Start action=\"/started\"><Stream url=\"{app}/stream\"/></Start>");
        assertEquals("https://app.example.com/started", ((Outcome.Navigate) o).url());
        f.app.awaitConnection(WAIT).awaitEvent("start", Duration.ofSeconds(5));
    }
}
