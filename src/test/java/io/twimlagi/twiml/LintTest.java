package io.twimlagi.twiml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LintTest {

    private static String file(String name) throws Exception {
        URL u = LintTest.class.getResource("/twiml/" + name);
        return Path.of(u.toURI()).toString();
    }

    private record Out(int code, List<String> lines) {}

    private static Out lint(String... files) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        int rc = Lint.run(List.of(files), new PrintStream(bo, true, StandardCharsets.UTF_8));
        String s = bo.toString(StandardCharsets.UTF_8);
        return new Out(rc, s.isEmpty() ? List.of() : List.of(s.split("\\R")));
    }

    @Test
    void validFileIsSilentAndPasses() throws Exception {
        Out o = lint(file("valid.xml"));
        assertEquals(0, o.code());
        assertEquals(List.of(), o.lines());
    }

    @Test
    void warningsArePrintedButPass() throws Exception {
        String f = file("warnings.xml");
        Out o = lint(f);
        assertEquals(0, o.code());
        assertEquals(List.of(
                f + ":3: 12200 warning: unknown element <say> inside <Response> (skipped)",
                f + ":4: 12200 warning: unknown attribute colour on <Say> (ignored)",
                f + ":4: 13510 warning: invalid loop \"abc\" on <Say>; using 1",
                f + ":5: 13910 warning: invalid length \"-3\" on <Pause>; using 1",
                f + ":6: 13320 warning: <Record> is not allowed inside <Gather> (skipped)"), o.lines());
    }

    @Test
    void errorsFailWithLine() throws Exception {
        String m = file("malformed.xml");
        Out o = lint(m);
        assertEquals(1, o.code());
        assertEquals(1, o.lines().size());
        assertTrue(o.lines().get(0).startsWith(m + ":4: 12100 "), o.lines().get(0));

        String r = file("wrong-root.xml");
        Out o2 = lint(r);
        assertEquals(1, o2.code());
        assertEquals(List.of(r + ":2: 12102 root element must be <Response>, found <response>"), o2.lines());

        String x = file("xxe.xml");
        Out o3 = lint(x);
        assertEquals(1, o3.code());
        assertTrue(o3.lines().get(0).startsWith(x + ":2: 12100 "), o3.lines().get(0));
        assertFalse(String.join("\n", o3.lines()).contains("root:"));
    }

    @Test
    void mixedFilesAndUnreadable() throws Exception {
        String missing = file("valid.xml").replace("valid.xml", "does-not-exist.xml");
        Out o = lint(file("valid.xml"), missing, file("warnings.xml"));
        assertEquals(1, o.code());
        assertTrue(o.lines().get(0).startsWith(missing + ":0: 11200 cannot read: "), o.lines().get(0));
        assertEquals(6, o.lines().size());
        assertEquals(0, lint(file("valid.xml"), file("warnings.xml")).code());
    }

    @Test
    void everyLineHasTheRequiredFormat() throws Exception {
        Out o = lint(file("warnings.xml"), file("malformed.xml"), file("wrong-root.xml"), file("xxe.xml"));
        for (String line : o.lines()) {
            assertTrue(line.matches(".+:\\d+: \\d{5} .+"), line);
        }
    }

    @Test
    void noFilesPrintsUsage() {
        Out o = lint();
        assertEquals(2, o.code());
        assertEquals(List.of("usage: lint FILE..."), o.lines());
    }

    @Test
    void problemFormat() {
        assertEquals("a.xml:3: 12100 bad", new Problem(3, 12100, "bad", true).format("a.xml"));
        assertEquals("a.xml:3: 12200 warning: odd", new Problem(3, 12200, "odd", false).format("a.xml"));
    }
}
