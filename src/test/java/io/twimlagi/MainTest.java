package io.twimlagi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: --help, lint, and a bad config stopping start-up with FILE:LINE and exit 2. */
class MainTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run main(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            int code = Main.run(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpExplainsTheOptions() {
        Run r = main("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--config FILE") && r.out().contains("lint FILE..."), r.out());
    }

    @Test
    void lintPrintsProblemsAndExitCodes() throws Exception {
        Path good = Files.writeString(dir.resolve("good.xml"), "<Response><Say loop=\"x\">hi</Say></Response>");
        Path bad = Files.writeString(dir.resolve("bad.xml"), "<Response>\n<Say>hi</Response>");
        Run ok = main("lint", good.toString());
        assertEquals(0, ok.code(), ok.out());
        assertTrue(ok.out().startsWith(good + ":1: 13510 "), ok.out());
        Run fail = main("lint", good.toString(), bad.toString());
        assertEquals(1, fail.code());
        assertTrue(fail.out().contains(bad + ":2: 12100 "), fail.out());
    }

    @Test
    void badConfigStopsWithFileLineAndExit2() throws Exception {
        Path conf = Files.writeString(dir.resolve("t.conf"), """
                [general]
                account_sid = AC00000000000000000000000000000000
                auth_token = x
                voice_url = http://127.0.0.1/voice
                colour = blue
                """);
        Run r = main("--config", conf.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith(conf + ":5: "), r.err());
    }

    @Test
    void unknownArgumentsAreAnError() {
        assertEquals(2, main("--frobnicate").code());
    }
}
