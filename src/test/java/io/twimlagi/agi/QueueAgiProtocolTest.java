package io.twimlagi.agi;

import io.twimlagi.call.Call;
import io.twimlagi.call.CallInterrupted;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a waiting caller sends Asterisk: hold music (SET MUSIC ON, an interruptible WAIT FOR DIGIT, SET MUSIC OFF even
 * when interrupted) and its queue in the channel's variables, a hostile queue name escaped as Asterisk reads it.
 */
class QueueAgiProtocolTest {
    final AtomicReference<Call> call = new AtomicReference<>();

    List<String> converse(Function<String, String> replies, Runnable steps) throws Exception {
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

    static String plain(String cmd) {
        return cmd.startsWith("GET FULL VARIABLE") ? FastAgiServerTest.asterisk(cmd) : "200 result=0";
    }

    @Test
    void holdMusicIsAsterisksClassAroundAWaitAndStopsAfterwards() throws Exception {
        List<String> cmds = converse(QueueAgiProtocolTest::plain,
                () -> call.get().holdMusic("default", Duration.ofSeconds(30)));
        List<String> mine = cmds.subList(cmds.indexOf("SET MUSIC ON \"default\""), cmds.size());
        assertEquals(List.of("SET MUSIC ON \"default\"", "WAIT FOR DIGIT 30000", "SET MUSIC OFF"), mine);
    }

    @Test
    void anInterruptStopsTheMusicAtOnceAndItIsStillTurnedOff() throws Exception {
        List<String> cmds = converse(cmd -> {
            if (cmd.startsWith("WAIT FOR DIGIT")) {
                new Thread(() -> call.get().interrupt()).start(); // a dequeue, from another thread
                return FakeAsterisk.NO_REPLY;
            }
            if (cmd.equals("NOOP")) return "200 result=1\n200 result=0"; // the wait ends, then the NOOP's reply
            return plain(cmd);
        }, () -> {
            assertThrows(CallInterrupted.class, () -> call.get().holdMusic("default", Duration.ofMinutes(10)));
            call.get().clearInterrupt();
        });
        assertEquals("SET MUSIC OFF", cmds.get(cmds.size() - 1), cmds.toString());
        assertTrue(cmds.contains("NOOP"));
    }

    @Test
    void aClassNameNotOursIsRefusedBeforeAnythingIsSent() throws Exception {
        List<String> cmds = converse(QueueAgiProtocolTest::plain, () -> assertThrows(IllegalArgumentException.class,
                () -> call.get().holdMusic("x\" ; SET", Duration.ofSeconds(1))));
        assertTrue(cmds.stream().noneMatch(c -> c.startsWith("SET MUSIC")), cmds.toString());
    }

    @Test
    void aHostileQueueNameReachesTheChannelVariableVerbatimAndEscaped() throws Exception {
        String name = "q,1)(\"x\\${EXTEN}$[1+1]|y";
        List<String> cmds = converse(QueueAgiProtocolTest::plain, () -> {
            Map<String, String> vars = new LinkedHashMap<>();
            vars.put("TWIML_QUEUE", name);
            vars.put("TWIML_QUEUE_POSITION", "1");
            call.get().annotate(vars);
        });
        String mset = cmds.stream().filter(c -> c.contains("MSet")).findFirst().orElseThrow(() -> new AssertionError(cmds.toString()));
        List<String> words = AsteriskParsing.agiWords(mset);
        assertEquals(3, words.size(), "one EXEC of one argument string: " + words);
        List<AsteriskParsing.AppArg> args = AsteriskParsing.appArgs(words.get(2), ',').args();
        assertEquals(List.of("TWIML_QUEUE=" + name, "TWIML_QUEUE_POSITION=1"),
                args.stream().map(AsteriskParsing.AppArg::value).toList(), "Asterisk reads back the name as written");
    }
}
