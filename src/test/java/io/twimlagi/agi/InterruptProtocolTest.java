package io.twimlagi.agi;

import io.twimlagi.call.Call;
import io.twimlagi.call.CallInterrupted;
import io.twimlagi.call.DialLeg;
import io.twimlagi.call.DialRequest;
import io.twimlagi.call.DialResult;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stopping a media command from another thread ({@link Call#interrupt()}) against a fake Asterisk that behaves as
 * res_agi does: a new command line arriving during STREAM FILE ends it without a reply of its own; during WAIT FOR
 * DIGIT it ends it with {@code result=1}; either way the NOOP then gets its own reply, and nothing gets out of step.
 */
class InterruptProtocolTest {
    /** What the call's thread saw of each step, in order. */
    final List<String> seen = new ArrayList<>();
    final AtomicReference<Call> call = new AtomicReference<>();

    /** Runs {@code steps} as a call against a fake Asterisk answering with {@code replies}; returns its commands. */
    List<String> converse(java.util.function.Function<String, String> replies, Runnable steps) throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CompletableFuture<Void> done = new CompletableFuture<>();
        try (FastAgiServer server = new FastAgiServer(addr, 10, FastAgiServerTest.scripts((c, invite, channel) -> {
            call.set(c);
            try {
                steps.run();
                done.complete(null);
            } catch (RuntimeException | AssertionError e) {
                done.completeExceptionally(e);
            }
        }))) {
            List<String> cmds = new FakeAsterisk(replies).run(addr);
            done.get(5, TimeUnit.SECONDS);
            return cmds;
        }
    }

    String play(String file) {
        try {
            return "played " + (int) call.get().play(file, "");
        } catch (CallInterrupted e) {
            call.get().clearInterrupt();
            return "interrupted";
        }
    }

    String waitForKey() {
        try {
            return "key " + (int) call.get().waitForDigit(Duration.ofSeconds(30));
        } catch (CallInterrupted e) {
            call.get().clearInterrupt();
            return "interrupted";
        }
    }

    @Test
    void aPlaybackStopsAtOnceAndTheNextCommandGetsItsOwnReply() throws Exception {
        List<String> cmds = converse(cmd -> {
            if (cmd.startsWith("GET FULL VARIABLE")) return FastAgiServerTest.asterisk(cmd);
            if (cmd.equals("STREAM FILE \"long\" \"\"")) {
                new Thread(() -> call.get().interrupt()).start(); // a live update, from another thread
                return FakeAsterisk.NO_REPLY; // still playing: res_agi replies nothing for a playback a new command stopped
            }
            if (cmd.equals("NOOP")) return "200 result=0";
            if (cmd.startsWith("STREAM FILE")) return "200 result=0 endpos=8000";
            return "200 result=0";
        }, () -> {
            seen.add(play("long"));
            seen.add(play("next"));
            call.get().hangup();
        });
        assertEquals(List.of("interrupted", "played 0"), seen);
        assertEquals(List.of("STREAM FILE \"long\" \"\"", "NOOP", "STREAM FILE \"next\" \"\"", "HANGUP"),
                cmds.subList(1, cmds.size()));
    }

    @Test
    void aWaitForAKeyStopsAtOnceAndBothRepliesAreRead() throws Exception {
        List<String> cmds = converse(cmd -> {
            if (cmd.startsWith("GET FULL VARIABLE")) return FastAgiServerTest.asterisk(cmd);
            if (cmd.equals("WAIT FOR DIGIT 30000")) {
                new Thread(() -> call.get().interrupt()).start();
                return FakeAsterisk.NO_REPLY;
            }
            if (cmd.equals("NOOP")) return "200 result=1\n200 result=0"; // the wait's result=1, then the NOOP's
            if (cmd.startsWith("STREAM FILE")) return "200 result=0 endpos=8000";
            return "200 result=0";
        }, () -> {
            seen.add(waitForKey());
            seen.add(play("next"));
            call.get().hangup();
        });
        assertEquals(List.of("interrupted", "played 0"), seen);
        assertEquals(List.of("WAIT FOR DIGIT 30000", "NOOP", "STREAM FILE \"next\" \"\"", "HANGUP"),
                cmds.subList(1, cmds.size()));
    }

    @Test
    void aPlaybackThatEndsJustAsTheNoopArrivesKeepsRepliesInStep() throws Exception {
        List<String> cmds = converse(cmd -> {
            if (cmd.startsWith("GET FULL VARIABLE")) return FastAgiServerTest.asterisk(cmd);
            if (cmd.equals("STREAM FILE \"short\" \"\"")) {
                call.get().interrupt(); // the NOOP is on its way before the playback's own reply
                return "200 result=0 endpos=8000";
            }
            if (cmd.equals("NOOP")) return "200 result=0";
            if (cmd.startsWith("STREAM FILE")) return "200 result=0 endpos=4000";
            if (cmd.startsWith("GET VARIABLE")) return "200 result=1 (after)";
            return "200 result=0";
        }, () -> {
            seen.add(play("short"));
            seen.add(play("next"));
            call.get().hangup();
        });
        assertEquals(List.of("interrupted", "played 0"), seen, "the interrupt still counts");
        assertEquals(List.of("STREAM FILE \"short\" \"\"", "NOOP", "STREAM FILE \"next\" \"\"", "HANGUP"),
                cmds.subList(1, cmds.size()));
    }

    @Test
    void anInterruptWithNothingRunningStopsTheNextMediaCommandUntilCleared() throws Exception {
        List<String> cmds = converse(cmd -> {
            if (cmd.startsWith("GET FULL VARIABLE")) return FastAgiServerTest.asterisk(cmd);
            if (cmd.startsWith("STREAM FILE")) return "200 result=0 endpos=8000";
            return "200 result=0";
        }, () -> {
            call.get().interrupt();
            seen.add(play("first"));
            seen.add(play("second"));
            call.get().hangup();
        });
        assertEquals(List.of("interrupted", "played 0"), seen);
        assertTrue(cmds.stream().noneMatch(c -> c.equals("NOOP")), "no NOOP when nothing was running: " + cmds);
        assertEquals(List.of("STREAM FILE \"second\" \"\"", "HANGUP"), cmds.subList(1, cmds.size()));
    }

    @Test
    void anInterruptDuringADialHasTheBreakerEndItAndTheNextDialIsNotStarted() throws Exception {
        CompletableFuture<String> broken = new CompletableFuture<>();
        AtomicReference<BooleanSupplier> running = new AtomicReference<>();
        BridgeBreaker breaker = (channel, app, stillRunning) -> {
            running.set(stillRunning);
            broken.complete(channel + " " + app + " running=" + stillRunning.getAsBoolean());
        };
        DialRequest request = new DialRequest(List.of(new DialLeg("PJSIP/bob", Map.of(), false)),
                Duration.ofSeconds(30), Duration.ofSeconds(60), null, false, null, null, null, null);
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CompletableFuture<String> done = new CompletableFuture<>();
        try (FastAgiServer server = new FastAgiServer(addr, 10, AgiScripts.of((c, invite, channel) -> {
            call.set(c);
            try {
                DialResult r = c.dial(request);
                String second;
                try {
                    c.dial(request);
                    second = "dialed again";
                } catch (CallInterrupted e) {
                    second = "not dialed again";
                }
                done.complete(r.outcome() + ", interrupted=" + c.interrupted() + ", " + second
                        + ", running after=" + running.get().getAsBoolean());
            } catch (RuntimeException | AssertionError e) {
                done.completeExceptionally(e);
            }
        }, FastAgiServerTest.NO_LEGS, null, breaker))) {
            List<String> cmds = new FakeAsterisk(cmd -> {
                if (cmd.startsWith("GET FULL VARIABLE \"${DIALSTATUS}")) return "200 result=1 (NOANSWER|0|||)";
                if (cmd.startsWith("GET FULL VARIABLE")) return FastAgiServerTest.asterisk(cmd);
                if (cmd.startsWith("EXEC \"Dial\"")) {
                    new Thread(() -> call.get().interrupt()).start();
                    try {
                        // Asterisk's Dial goes on until the breaker hangs its legs up
                        broken.get(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new AssertionError("the breaker was not called", e);
                    }
                    return "200 result=0";
                }
                return "200 result=0";
            }).run(addr);
            assertEquals("NO_ANSWER, interrupted=true, not dialed again, running after=false",
                    done.get(5, TimeUnit.SECONDS));
            assertEquals("PJSIP/sipp-00000001 DialApp[] running=true", broken.get());
            assertEquals(1, cmds.stream().filter(c -> c.startsWith("EXEC \"Dial\"")).count());
        }
    }

    @Test
    void aNudgeJustBeforeAPlaybackStartsStopsThatPlaybackInsteadOfBeingLost() throws Exception {
        List<String> cmds = converse(cmd -> {
            if (cmd.startsWith("GET FULL VARIABLE")) return FastAgiServerTest.asterisk(cmd);
            if (cmd.equals("STREAM FILE \"long\" \"\"")) return FakeAsterisk.NO_REPLY; // plays on until a new line
            if (cmd.equals("NOOP")) return "200 result=0";
            if (cmd.startsWith("STREAM FILE")) return "200 result=0 endpos=8000";
            return "200 result=0";
        }, () -> {
            // the race: interrupt() came after sendMedia's check of the flag, before STREAM FILE went out
            ((AgiCall) call.get()).nudgeChannel();
            seen.add(play("long"));
            seen.add(play("next"));
            call.get().hangup();
        });
        assertEquals(List.of("interrupted", "played 0"), seen);
        assertEquals(List.of("STREAM FILE \"long\" \"\"", "NOOP", "STREAM FILE \"next\" \"\"", "HANGUP"),
                cmds.subList(1, cmds.size()));
    }
}
