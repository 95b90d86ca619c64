package io.twimlagi.agi;

import io.twimlagi.call.CallGoneException;
import io.twimlagi.util.AddressList;
import org.asteriskjava.fastagi.command.AnswerCommand;
import org.asteriskjava.fastagi.command.ChannelStatusCommand;
import org.asteriskjava.fastagi.command.ExecCommand;
import org.asteriskjava.fastagi.command.GetFullVariableCommand;
import org.asteriskjava.fastagi.command.RecordFileCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.asteriskjava.fastagi.command.StreamFileCommand;
import org.asteriskjava.fastagi.command.WaitForDigitCommand;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may speak FastAGI to us and for how long (issue 12 item 4): the allow list is checked on accept, an idle or
 * dripping connection is dropped at the environment deadline and frees its thread, a bounded command whose reply
 * never comes ends that call, a blocking one may take as long as it takes. Real TCP, as Asterisk speaks it.
 */
class AgiPeerLimitsTest {
    /** The server with {@code calls} as its call handler and no Dial legs. */
    static FastAgiServer server(InetSocketAddress addr, int maxCalls, AgiLimits limits, CallHandler calls)
            throws IOException {
        return new FastAgiServer(addr, maxCalls, limits, FastAgiServerTest.scripts(calls));
    }

    static final InetAddress LOOPBACK_1 = address("127.0.0.1");
    static final InetAddress LOOPBACK_2 = address("127.0.0.2");

    static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static AgiLimits limits(String allow, long environmentMs, long replyMs) {
        return new AgiLimits(AddressList.parse(allow), Duration.ofMillis(environmentMs), Duration.ofMillis(replyMs));
    }

    /** Reads until the server closes the connection; the elapsed time, or fails when it stays open for {@code max}. */
    static long millisUntilClosed(Socket s, Duration max) throws IOException {
        long start = System.nanoTime();
        s.setSoTimeout((int) max.toMillis());
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // whatever the server sent before closing
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open for " + max.toMillis() + " ms");
        } catch (IOException reset) {
            // closed by the server (reset): what we wait for
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    static void await(BooleanSupplier condition, Duration max, String what) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + max.toMillis() + " ms: " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void aPeerOutsideAgiAllowIsClosedAtOnceWithoutAnythingRead() throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        AtomicInteger calls = new AtomicInteger();
        // only 127.0.0.2 may connect; a long environment deadline, so a quick close can only be the refusal
        try (FastAgiServer server = server(addr, 10, limits("127.0.0.2", 30_000, 10_000),
                (call, invite, channel) -> {
                    calls.incrementAndGet();
                    call.reject(486);
                })) {
            try (Socket silent = new Socket()) {
                silent.bind(new InetSocketAddress(LOOPBACK_1, 0));
                silent.connect(addr, 2000);
                assertTrue(millisUntilClosed(silent, Duration.ofSeconds(3)) < 2000);
            }
            FakeAsterisk forged = new FakeAsterisk(FastAgiServerTest::asterisk).from(LOOPBACK_1);
            List<String> commands = forged.run(addr);
            assertTrue(forged.closedByServer);
            assertEquals(List.of(), commands, "not a single command (not even the INVITE read) for a refused peer");
            assertEquals(0, calls.get(), "the call never reached the handler, so no webhook");

            FakeAsterisk allowed = new FakeAsterisk(FastAgiServerTest::asterisk).from(LOOPBACK_2);
            assertEquals("EXEC \"PJSIPHangup\" \"486\"", allowed.run(addr).get(1));
            assertEquals(1, calls.get());
        }
    }

    @Test
    void anIdleConnectionIsDroppedAtTheEnvironmentDeadlineAndFreesItsSlot() throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CompletableFuture<String> handled = new CompletableFuture<>();
        try (FastAgiServer server = server(addr, 1, limits("127.0.0.1", 300, 10_000),
                (call, invite, channel) -> {
                    handled.complete(invite.callId());
                    call.reject(486);
                })) {
            try (Socket idle = new Socket()) {
                idle.connect(addr, 2000);
                try (Socket second = new Socket()) { // the idle one holds the only call slot meanwhile
                    second.connect(addr, 2000);
                    assertTrue(millisUntilClosed(second, Duration.ofSeconds(2)) < 250,
                            "agi_max_calls reached: refused at once");
                }
                long ms = millisUntilClosed(idle, Duration.ofSeconds(5));
                assertTrue(ms < 2000, "dropped after " + ms + " ms");
            }
            // its thread goes back to the pool right after the drop: a real call gets the slot
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (!handled.isDone() && System.nanoTime() < deadline) {
                new FakeAsterisk(FastAgiServerTest::asterisk).run(addr);
            }
            assertEquals("abc123@127.0.0.1", handled.get(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void callsUpToTheLimitRunAtOnceAndEveryEndedCallFreesItsSlot() throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CountDownLatch inside = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        try (FastAgiServer server = server(addr, 3, limits("127.0.0.1", 2000, 10_000), (call, invite, channel) -> {
            handled.incrementAndGet();
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            call.reject(486);
        })) {
            List<CompletableFuture<List<String>>> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) held.add(CompletableFuture.supplyAsync(() -> run(addr)));
            assertTrue(inside.await(5, TimeUnit.SECONDS), "three calls served at once (the limit)");
            try (Socket fourth = new Socket()) {
                fourth.connect(addr, 2000);
                assertTrue(millisUntilClosed(fourth, Duration.ofSeconds(2)) < 1000, "the fourth is refused at once");
            }
            release.countDown();
            for (CompletableFuture<List<String>> f : held) {
                assertEquals("EXEC \"PJSIPHangup\" \"486\"", f.get(5, TimeUnit.SECONDS).get(1));
            }
            // every slot comes back: 30 calls one after another (a call may find its predecessor's slot not yet
            // given back for a moment: then Asterisk would answer 503, and the fake tries again)
            int served = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (served < 30 && System.nanoTime() < deadline) {
                if (run(addr).size() == 2) served++;
            }
            assertEquals(30, served);
            assertEquals(33, handled.get());
        }
    }

    private static List<String> run(InetSocketAddress addr) {
        try {
            return new FakeAsterisk(FastAgiServerTest::asterisk).run(addr);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPeerDrippingItsEnvironmentIsDroppedAtTheDeadlineNotPerByte() throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        try (FastAgiServer server = server(addr, 10, limits("127.0.0.1", 500, 10_000),
                (call, invite, channel) -> call.reject(486));
             Socket drip = new Socket()) {
            drip.connect(addr, 2000);
            OutputStream out = drip.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 100; i++) { // one byte every 100 ms: 10 s if each byte reset a timeout
                        out.write('a');
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException closed) {
                    // the server dropped us
                }
            });
            writer.setDaemon(true);
            writer.start();
            long ms = millisUntilClosed(drip, Duration.ofSeconds(8));
            assertTrue(ms < 2500, "dropped after " + ms + " ms");
            writer.interrupt();
        }
    }

    @Test
    void anOversizedEnvironmentIsDroppedBeforeItIsHeldAndNoCallRuns() throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        List<String> handled = new CopyOnWriteArrayList<>();
        try (FastAgiServer server = server(addr, 10, limits("127.0.0.1", 5000, 10_000),
                (call, invite, channel) -> {
                    handled.add(channel);
                    call.reject(486);
                })) {
            FakeAsterisk oneLongLine = new FakeAsterisk(FastAgiServerTest::asterisk)
                    .env("arg_1", "x".repeat(AgiSocket.MAX_ENVIRONMENT_LINE + 1));
            FakeAsterisk manyBigLines = new FakeAsterisk(FastAgiServerTest::asterisk);
            for (int i = 1; i <= 10; i++) manyBigLines.env("arg_" + i, "y".repeat(AgiSocket.MAX_ENVIRONMENT_LINE - 50));
            for (FakeAsterisk peer : List.of(oneLongLine, manyBigLines)) {
                assertEquals(List.of(), peer.run(addr), "no command: dropped before the call started");
                assertTrue(peer.closedByServer);
            }
            new FakeAsterisk(FastAgiServerTest::asterisk).env("arg_1", "z".repeat(4000)).run(addr);
            assertEquals(List.of("PJSIP/sipp-00000001"), handled, "only the call of normal size ran");
        }
    }

    @Test
    void aReplyThatNeverComesToABoundedCommandEndsThatCallCleanly() throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CompletableFuture<Boolean> gone = new CompletableFuture<>();
        try (FastAgiServer server = server(addr, 10, limits("127.0.0.1", 5000, 300),
                (call, invite, channel) -> {
                    try {
                        call.answer(); // the peer never replies to ANSWER
                        gone.complete(false);
                    } catch (CallGoneException e) {
                        gone.complete(call.isGone());
                        throw e;
                    }
                })) {
            FakeAsterisk silent = new FakeAsterisk(cmd -> cmd.equals("ANSWER") ? FakeAsterisk.NO_REPLY : FastAgiServerTest.asterisk(cmd));
            long start = System.nanoTime();
            List<String> commands = silent.run(addr);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(silent.closedByServer, "the server closed the connection (Asterisk then ends the call)");
            assertTrue(ms < 3000, "closed after " + ms + " ms");
            assertEquals("ANSWER", commands.get(commands.size() - 1), "nothing sent after the unanswered command");
            assertTrue(gone.get(2, TimeUnit.SECONDS), "the call ended as gone");
            // the handler threw CallGoneException out of the call: its thread (its agi_max_calls slot) is free
        }
    }

    @Test
    void aBlockingApplicationMayTakeLongerThanTheReplyDeadline() throws Exception {
        InetSocketAddress addr = FastAgiServerTest.freePort();
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        try (FastAgiServer server = server(addr, 10, limits("127.0.0.1", 5000, 200),
                (call, invite, channel) -> {
                    call.pause(Duration.ofMillis(800)); // EXEC Wait: as long as the TwiML says
                    call.hangup();
                    done.complete(true);
                })) {
            FakeAsterisk slow = new FakeAsterisk(cmd -> {
                if (cmd.startsWith("EXEC \"Wait\"")) {
                    try {
                        Thread.sleep(800); // Asterisk answers Wait when the pause is over
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return FastAgiServerTest.asterisk(cmd);
            });
            List<String> commands = slow.run(addr);
            assertTrue(done.get(2, TimeUnit.SECONDS));
            assertEquals("HANGUP", commands.get(commands.size() - 1), commands.toString());
        }
    }

    @Test
    void onlyCommandsThatReturnAtOnceAreBounded() {
        assertTrue(BoundedCommands.bounded(new AnswerCommand()));
        assertTrue(BoundedCommands.bounded(new ChannelStatusCommand()));
        assertTrue(BoundedCommands.bounded(new GetFullVariableCommand("${X}")));
        assertTrue(BoundedCommands.bounded(new SetVariableCommand("A", "b")));
        assertTrue(BoundedCommands.bounded(new ExecCommand("PJSIPHangup", "486")));
        assertTrue(BoundedCommands.bounded(new ExecCommand("mset", "A=1")));
        for (String app : List.of("Dial", "ConfBridge", "Wait", "SendDTMF", "Transfer", "Playback", "Busy",
                "SomethingNew")) {
            assertFalse(BoundedCommands.bounded(new ExecCommand(app, "x")), app);
        }
        assertFalse(BoundedCommands.bounded(new StreamFileCommand("f", "")));
        assertFalse(BoundedCommands.bounded(new WaitForDigitCommand(5000)));
        assertFalse(BoundedCommands.bounded(new RecordFileCommand("f", "wav", "#", 1000)));
    }
}
