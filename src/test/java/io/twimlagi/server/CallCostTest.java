package io.twimlagi.server;

import io.twimlagi.agi.FakeAsterisk;
import io.twimlagi.config.ConfigLoader;
import io.twimlagi.media.ToneTts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one call of each benchmark flow (scripts/bench: reject, announce, ivr) costs Asterisk in AGI round trips
 * and bytes, through the whole server against a fake Asterisk: every command is a write, a wake-up of Asterisk's
 * AGI thread, a reply and a wake-up of ours, before the caller hears anything. Pinned so that the count cannot
 * grow unnoticed (BENCHMARKS.md "Latency under load").
 */
class CallCostTest {
    static final String SEP = "\u001e|\u001e";
    static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);

    @TempDir
    Path dir;
    TwimlAgiServer server;
    InetSocketAddress agi;

    @BeforeEach
    void start() throws Exception {
        Files.write(dir.resolve("announce.wav"), ToneTts.wav(8000, 1, 1.0, 440));
        Files.write(dir.resolve("prompt.wav"), ToneTts.wav(8000, 1, 0.5, 440));
        Files.writeString(dir.resolve("reject.xml"), "<Response><Reject reason=\"busy\"/></Response>");
        Files.writeString(dir.resolve("announce.xml"), "<Response><Play>" + dir.resolve("announce.wav").toUri()
                + "</Play><Hangup/></Response>");
        Files.writeString(dir.resolve("ivr.xml"), "<Response><Gather numDigits=\"1\" timeout=\"5\" "
                + "action=\"hangup.xml\"><Play>" + dir.resolve("prompt.wav").toUri() + "</Play></Gather>"
                + "<Hangup/></Response>");
        Files.writeString(dir.resolve("hangup.xml"), "<Response><Hangup/></Response>");
        int agiPort = DomainAdmissionTest.freePort();
        StringBuilder conf = new StringBuilder("""
                [general]
                agi_bind = 127.0.0.1:%d
                http_bind = 127.0.0.1:%d
                account_sid = %s
                auth_token = token
                voice_url = %s
                media_dir = %s
                sip_capture = off
                """.formatted(agiPort, DomainAdmissionTest.freePort(), ACCOUNT, dir.resolve("reject.xml").toUri(),
                dir.resolve("media")));
        for (String flow : List.of("reject", "announce", "ivr")) {
            conf.append("[").append(flow).append(".bench]\ntype = domain\nvoice_url = ")
                    .append(dir.resolve(flow + ".xml").toUri()).append('\n');
        }
        server = TwimlAgiServer.start(ConfigLoader.load(Files.writeString(dir.resolve("t.conf"), conf)), new ToneTts());
        agi = new InetSocketAddress("127.0.0.1", agiPort);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** One call's conversation: the commands, and the bytes each way (environment and replies included). */
    record Conversation(List<String> commands, long bytesToAsterisk, long bytesFromAsterisk) {
        int roundTrips() {
            return commands.size();
        }
    }

    /** A call to {@code flow}.bench, answered as Asterisk answers; the caller presses 1 during a Gather's prompt. */
    Conversation call(String flow) throws Exception {
        String invite = "200 result=1 (sip:bench@" + flow + ".bench" + SEP + "\"bench\" <sip:bench@127.0.0.1:5061>"
                + SEP + "1-bench@127.0.0.1" + SEP + "127.0.0.1:5061" + SEP + "X-Customer-Id" + SEP + SEP + "sipp"
                + SEP + "42" + SEP.repeat(7) + ")";
        long[] fromAsterisk = {0};
        FakeAsterisk asterisk = new FakeAsterisk(cmd -> {
            String reply;
            if (FakeAsterisk.isInviteRead(cmd)) reply = invite;
            else if (cmd.startsWith("EXEC \"PJSIPHangup\"")) reply = "200 result=-1\nHANGUP";
            else if (cmd.startsWith("STREAM FILE") && cmd.endsWith("\"\"")) reply = "200 result=0 endpos=8000";
            else if (cmd.startsWith("STREAM FILE")) reply = "200 result=49 endpos=4000"; // DTMF 1 during the prompt
            else if (cmd.equals("HANGUP")) reply = "200 result=1";
            else reply = "200 result=0";
            fromAsterisk[0] += reply.getBytes(StandardCharsets.UTF_8).length + 1;
            return reply;
        }).env("uniqueid", "1700000000." + flow.length());
        List<String> commands = asterisk.run(agi);
        long toAsterisk = commands.stream().mapToLong(c -> c.getBytes(StandardCharsets.UTF_8).length + 1).sum();
        return new Conversation(commands, toAsterisk, fromAsterisk[0]);
    }

    /** A command without its arguments: {@code GET FULL VARIABLE}, {@code EXEC MSet}, {@code STREAM FILE}. */
    static String shape(String command) {
        if (command.startsWith("EXEC ")) return "EXEC " + command.split("\"")[1];
        int quote = command.indexOf('"');
        return (quote < 0 ? command : command.substring(0, quote)).strip();
    }

    static List<String> shapes(Conversation c) {
        return c.commands().stream().map(CallCostTest::shape).toList();
    }

    @Test
    void rejectIsTheInviteReadAndTheRejection() throws Exception {
        Conversation c = call("reject");
        assertEquals(List.of("GET FULL VARIABLE", "EXEC PJSIPHangup"), shapes(c), c.commands().toString());
        assertTrue(c.bytesToAsterisk() < 600, c.bytesToAsterisk() + " bytes");
    }

    @Test
    void announceIsFourRoundTripsOneOfThemThePlayback() throws Exception {
        call("announce"); // the first Play converts the file
        Conversation c = call("announce");
        // no HANGUP: the dialplan's Hangup() ends the answered call when the script returns
        assertEquals(List.of("GET FULL VARIABLE", "ANSWER", "EXEC MSet", "STREAM FILE"), shapes(c),
                c.commands().toString());
        assertTrue(c.bytesToAsterisk() < 900, c.bytesToAsterisk() + " bytes");
    }

    @Test
    void ivrIsFourRoundTripsTheActionDocumentAddsNone() throws Exception {
        call("ivr");
        Conversation c = call("ivr");
        assertEquals(List.of("GET FULL VARIABLE", "ANSWER", "EXEC MSet", "STREAM FILE"), shapes(c),
                c.commands().toString());
        assertTrue(c.commands().get(3).endsWith("\"0123456789*#ABCD\""), c.commands().get(3));
    }

    /**
     * Calls reuse the FastAGI pool's idle threads: once it holds its core threads, a call one after another starts
     * no thread at all (no per-call executor, timer or HTTP client thread either).
     */
    @Test
    void callsStartNoThreadOnceThePoolIsWarm() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20; i++) call("announce");
        long before = threads.getTotalStartedThreadCount();
        for (int i = 0; i < 30; i++) call(List.of("reject", "announce", "ivr").get(i % 3));
        assertEquals(0, threads.getTotalStartedThreadCount() - before, "threads started by 30 calls");
    }
}
