package io.twimlagi.agi;

import io.twimlagi.call.DialLeg;
import io.twimlagi.call.DialOutcome;
import io.twimlagi.call.DialRecording;
import io.twimlagi.call.DialRequest;
import io.twimlagi.call.DialResult;
import io.twimlagi.call.Call;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recorded Dial over the real AGI wire protocol: MixMonitor before the Dial, StopMixMonitor after it, and
 * StopMixMonitor's reply is what says the file is closed (app_mixmonitor closes it before returning).
 */
class DialRecordingProtocolTest {
    static final String FILE = "/var/lib/twiml-agi/recordings/RE0123456789abcdef0123456789abcdef.wav";
    static final DialRequest RECORDED = new DialRequest(
            List.of(new DialLeg("PJSIP/bob@trunk", Map.of(), true)), Duration.ofSeconds(30),
            Duration.ofHours(4), null, false, null, new DialRecording(FILE, false, false), null);

    /** Runs the recorded Dial against a fake Asterisk answering {@code reply}; keeps the commands. */
    static DialResult dial(Function<String, String> reply, List<String> commands) throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CompletableFuture<DialResult> seen = new CompletableFuture<>();
        try (FastAgiServer server = new FastAgiServer(addr, 10, FastAgiServerTest.scripts(
                (call, invite, channel) -> seen.complete(call.dial(RECORDED))))) {
            FakeAsterisk asterisk = new FakeAsterisk(cmd -> {
                if (cmd.startsWith("GET FULL VARIABLE \"${CHANNEL(pjsip,request_uri)}")) {
                    return FastAgiServerTest.inviteReply("", "");
                }
                return reply.apply(cmd);
            });
            commands.addAll(asterisk.run(addr));
            return seen.get(5, TimeUnit.SECONDS);
        }
    }

    static String answered(String cmd) {
        if (cmd.startsWith("GET FULL VARIABLE \"${DIALSTATUS}")) {
            return "200 result=1 (ANSWER|12|PJSIP/trunk-0001||PJSIP/trunk-0001=abc@h|)";
        }
        if (cmd.startsWith("GET FULL VARIABLE \"${HANGUPCAUSE(")) return "200 result=1 (SIP 200 OK)";
        return "200 result=0";
    }

    @Test
    void stopMixMonitorsReplySaysTheFileIsClosed() throws Exception {
        List<String> cmds = new ArrayList<>();
        DialResult r = dial(DialRecordingProtocolTest::answered, cmds);
        assertTrue(r.recordingClosed(), r.toString());
        assertEquals(DialOutcome.ANSWERED, r.outcome());
        int mix = cmds.indexOf("EXEC \"MixMonitor\" \"" + FILE + ",b\"");
        int dial = indexOfPrefix(cmds, "EXEC \"Dial\"");
        int stop = cmds.indexOf("EXEC \"StopMixMonitor\" \"\"");
        assertTrue(mix >= 0 && mix < dial && dial < stop, cmds.toString());
    }

    @Test
    void aCallerWhoHungUpStillGetsTheFileClosed() throws Exception {
        List<String> cmds = new ArrayList<>();
        DialResult r = dial(cmd -> cmd.startsWith("EXEC \"Dial\"") ? "200 result=-1\nHANGUP" : answered(cmd),
                cmds);
        assertTrue(r.callerHungUp());
        assertTrue(r.recordingClosed(), "StopMixMonitor runs on the dead channel: " + cmds);
    }

    @Test
    void withoutStopMixMonitorsReplyTheFileIsNotKnownClosed() throws Exception {
        List<String> cmds = new ArrayList<>();
        DialResult r = dial(cmd -> cmd.startsWith("EXEC \"StopMixMonitor\"") ? null : answered(cmd), cmds);
        assertFalse(r.recordingClosed(), "the connection closed before StopMixMonitor replied");
        assertTrue(r.callerHungUp());
    }

    @Test
    void aDialWithoutRecordingHasNoFileToClose() throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CompletableFuture<DialResult> seen = new CompletableFuture<>();
        DialRequest plain = new DialRequest(RECORDED.legs(), Duration.ofSeconds(30), Duration.ofHours(4),
                null, false);
        try (FastAgiServer server = new FastAgiServer(addr, 10, FastAgiServerTest.scripts(
                (call, invite, channel) -> seen.complete(call.dial(plain))))) {
            List<String> cmds = new FakeAsterisk(cmd -> cmd.startsWith("GET FULL VARIABLE \"${CHANNEL(pjsip,")
                    ? FastAgiServerTest.inviteReply("", "") : answered(cmd)).run(addr);
            assertFalse(seen.get(5, TimeUnit.SECONDS).recordingClosed());
            assertFalse(cmds.stream().anyMatch(c -> c.contains("MixMonitor")), cmds.toString());
        }
    }

    static int indexOfPrefix(List<String> cmds, String prefix) {
        for (int i = 0; i < cmds.size(); i++) if (cmds.get(i).startsWith(prefix)) return i;
        return -1;
    }
}
