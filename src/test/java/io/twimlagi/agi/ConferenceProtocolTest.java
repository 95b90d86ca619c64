package io.twimlagi.agi;

import io.twimlagi.call.ConferenceRequest;
import io.twimlagi.call.ConferenceExit;
import io.twimlagi.call.ConferenceResult;
import io.twimlagi.call.Call;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ConfBridge's -1 means "could not join" as well as "hung up": over the real AGI wire protocol, a caller turned
 * away from a full conference goes on with its TwiML, and never ends the conference it did not join.
 */
class ConferenceProtocolTest {
    static final ConferenceRequest END_ON_EXIT = new ConferenceRequest("full-0123456789abcdef", false,
            true, true, false, 2, "default", null, Duration.ofMinutes(10), (char) 0, AgiConferenceTest.SOUNDS);

    /** Runs one conference join against a fake Asterisk whose ConfBridge returns -1 with this result. */
    static ConferenceResult join(String result, String channelStatusReply, List<String> commands)
            throws Exception {
        return join("200 result=-1", result, channelStatusReply, commands);
    }

    static ConferenceResult join(String execReply, String result, String channelStatusReply,
                                      List<String> commands) throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CompletableFuture<ConferenceResult> seen = new CompletableFuture<>();
        try (FastAgiServer server = new FastAgiServer(addr, 10, FastAgiServerTest.scripts((call, invite, channel) -> {
            call.answer();
            seen.complete(call.conference(END_ON_EXIT));
        }))) {
            FakeAsterisk asterisk = new FakeAsterisk(cmd -> {
                if (cmd.startsWith("GET FULL VARIABLE \"${CHANNEL(pjsip,request_uri)}")) {
                    return FastAgiServerTest.inviteReply("", "");
                }
                if (cmd.startsWith("EXEC \"ConfBridge\"")) return execReply;
                if (cmd.equals("GET FULL VARIABLE \"${CONFBRIDGE_RESULT}\"")) return "200 result=1 (" + result + ")";
                if (cmd.equals("CHANNEL STATUS")) return channelStatusReply;
                return "200 result=0";
            });
            commands.addAll(asterisk.run(addr));
            return seen.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullConferenceIsAFailureNotAHangup() throws Exception {
        List<String> cmds = new java.util.ArrayList<>();
        ConferenceResult r = join("FAILED", "200 result=6", cmds);
        assertEquals(ConferenceExit.NOT_JOINED, r.exit());
        assertFalse(r.callerHungUp(), "the caller is still there: its TwiML goes on");
        assertTrue(cmds.contains("CHANNEL STATUS"), cmds.toString());
        assertFalse(cmds.stream().anyMatch(c -> c.startsWith("EXEC \"ConfKick\"")),
                "it never joined, so it does not end the conference for the others: " + cmds);
    }

    @Test
    void aHangupInTheConferenceIsAHangupAndEndsItWithEndConferenceOnExit() throws Exception {
        List<String> cmds = new java.util.ArrayList<>();
        ConferenceResult r = join("HANGUP", "511 Command Not Permitted on a dead channel or intercept routine",
                cmds);
        assertEquals(ConferenceExit.HUNG_UP, r.exit());
        assertTrue(r.callerHungUp());
        assertTrue(cmds.stream().anyMatch(c -> c.equals("EXEC \"ConfKick\" \"full-0123456789abcdef,all\"")),
                cmds.toString());
    }

    @Test
    void aHangupInsideConfBridgeReturnsZeroAndIsStillAHangup() throws Exception {
        // ConfBridge returns 0 after a hangup in the bridge, with CONFBRIDGE_RESULT=HANGUP
        List<String> cmds = new java.util.ArrayList<>();
        ConferenceResult r = join("200 result=0", "HANGUP", "200 result=6", cmds);
        assertTrue(r.callerHungUp(), "no verb may run on the dead channel afterwards");
    }

    @Test
    void aParticipantKickedBecauseAnotherEndedItDoesNotKickAgain() throws Exception {
        List<String> cmds = new java.util.ArrayList<>();
        ConferenceResult r = join("200 result=0", "KICKED", "200 result=6", cmds);
        assertEquals(ConferenceExit.KICKED, r.exit());
        assertFalse(r.callerHungUp());
        assertFalse(cmds.stream().anyMatch(c -> c.startsWith("EXEC \"ConfKick\"")), cmds.toString());
    }
}
