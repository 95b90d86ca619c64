package io.twimlagi.agi;

import io.twimlagi.call.AnsweredLeg;
import io.twimlagi.call.Call;
import io.twimlagi.call.CallGoneException;
import io.twimlagi.call.DialRecording;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code <Hangup/>} on an answered call sends no HANGUP: the {@code twiml} script's dialplan hangs an answered
 * channel up as soon as the script returns (dialplan/twiml.conf), so the round trip is saved. Where the dialplan
 * would not hang up (an unanswered call answers 503 on return, a Dial leg gets bridged), HANGUP is still sent.
 */
class HangupOnReturnProtocolTest {
    static final String STOP_MIXMONITOR = "EXEC \"StopMixMonitor\" \"\"";

    /** Runs {@code body} as the call's handler against a fake Asterisk; returns the commands it saw. */
    static List<String> call(Consumer<Call> body) throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CompletableFuture<Void> done = new CompletableFuture<>();
        try (FastAgiServer server = new FastAgiServer(addr, 10, FastAgiServerTest.scripts((call, invite, ch) -> {
            try {
                body.accept(call);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }))) {
            FakeAsterisk asterisk = new FakeAsterisk(cmd -> FakeAsterisk.isInviteRead(cmd)
                    ? FastAgiServerTest.inviteReply("", "") : "200 result=0");
            List<String> commands = asterisk.run(addr);
            done.get(5, TimeUnit.SECONDS);
            assertTrue(asterisk.closedByServer, "the script returned and closed the connection");
            return commands.subList(1, commands.size()); // after the INVITE read
        }
    }

    @Test
    void anAnsweredCallIsHungUpByTheScriptsReturn() throws Exception {
        List<String> cmds = call(call -> {
            call.answer();
            call.hangup();
            assertTrue(call.isGone());
            assertThrows(CallGoneException.class, () -> call.play("/tmp/x", ""), "no command after the hangup");
        });
        assertEquals(List.of("ANSWER"), cmds);
    }

    @Test
    void anUnansweredCallIsHungUpWithTheCommand() throws Exception {
        // returning unanswered would make the dialplan answer 503
        assertEquals(List.of("HANGUP"), call(Call::hangup));
    }

    @Test
    void aRecordingStoppedAfterTheHangupSendsTheHangupFirst() throws Exception {
        List<String> cmds = call(call -> {
            call.answer();
            call.startCallRecording(new DialRecording(DialRecordingProtocolTest.FILE, true, false));
            call.hangup();
            call.stopCallRecording();
        });
        assertEquals(List.of("ANSWER", "EXEC \"MixMonitor\" \"" + DialRecordingProtocolTest.FILE + "\"", "HANGUP",
                STOP_MIXMONITOR), cmds);
    }

    @Test
    void aDialLegAnsweredScriptStillSendsHangup() throws Exception {
        // its dialplan bridges the leg when the script returns: the hangup must be a command
        CompletableFuture<String> handleCalled = new CompletableFuture<>();
        CompletableFuture<Boolean> hungUp = new CompletableFuture<>();
        InetSocketAddress addr = FastAgiServerTest.freePort();
        try (FastAgiServer server = new FastAgiServer(addr, 10, AnsweredLegProtocolTest.handler(handleCalled,
                (Call callee, AnsweredLeg leg) -> {
                    callee.hangup();
                    hungUp.complete(callee.isGone());
                    return false;
                }))) {
            List<String> cmds = AnsweredLegProtocolTest.answeredLeg("PJSIP/b-0002", AnsweredLegProtocolTest::replies)
                    .run(addr);
            assertTrue(hungUp.get(5, TimeUnit.SECONDS));
            assertTrue(cmds.contains("HANGUP"), cmds.toString());
            assertFalse(handleCalled.isDone());
        }
    }
}
