package io.twimlagi.twiml;

import static io.twimlagi.twiml.TwimlTestSupport.bytes;
import static io.twimlagi.twiml.TwimlTestSupport.codes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityAndLimitsTest {
    private MockWebServer server;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        for (int i = 0; i < 5; i++) {
            server.enqueue(new MockResponse.Builder().body("<!ENTITY leak \"LEAKED\">").build());
        }
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** Asserts the body is rejected with exactly one fatal 12100 and no secret anywhere. */
    private static void assertRejected(String xml, String secret) {
        List<Problem> ps = TwimlParser.check(bytes(xml));
        assertTrue(ps.stream().anyMatch(p -> p.error() && p.code() == 12100), () -> "problems: " + ps);
        for (Problem p : ps) {
            assertFalse(p.message().contains(secret), () -> "leaked: " + p);
            assertFalse(p.message().contains("root:"), () -> "leaked: " + p);
        }
        TwimlException e = assertThrows(TwimlException.class, () -> TwimlParser.parse(bytes(xml)));
        assertEquals(12100, e.code());
        assertFalse(e.getMessage().contains(secret));
    }

    @Test
    void xxeFileEntityIsRefusedAndNeverRead(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOPSECRET-42");
        assertRejected("<?xml version=\"1.0\"?>\n<!DOCTYPE Response [\n<!ENTITY xxe SYSTEM \"" + secret.toUri()
                + "\">]>\n<Response><Say>&xxe;</Say></Response>", "TOPSECRET-42");
        assertRejected("<?xml version=\"1.0\"?><!DOCTYPE Response [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<Response><Say>&xxe;</Say></Response>", "TOPSECRET-42");
    }

    @Test
    void doctypeLineIsReported() {
        List<Problem> ps = TwimlParser.check(bytes("<?xml version=\"1.0\"?>\n\n<!DOCTYPE Response>\n<Response/>"));
        assertEquals(1, ps.size());
        assertEquals(12100, ps.get(0).code());
        assertEquals(3, ps.get(0).line());
    }

    @Test
    void externalDtdAndParameterEntitiesAreNeverFetched() {
        String base = server.url("/").toString();
        assertRejected("<?xml version=\"1.0\"?><!DOCTYPE Response SYSTEM \"" + base + "evil.dtd\"><Response><Say>&leak;</Say></Response>",
                "LEAKED");
        assertRejected("<?xml version=\"1.0\"?><!DOCTYPE Response [<!ENTITY % p SYSTEM \"" + base + "p.dtd\"> %p;]>"
                + "<Response><Say>&leak;</Say></Response>", "LEAKED");
        assertRejected("<!DOCTYPE Response PUBLIC \"-//X//Y\" \"" + base + "pub.dtd\"><Response/>", "LEAKED");
        assertRejected("<Response><Say>&leak;</Say></Response>", "LEAKED");
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void billionLaughsIsRefusedQuickly() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        sb.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">");
        for (int i = 2; i <= 9; i++) {
            sb.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) sb.append("&lol").append(i - 1).append(';');
            sb.append("\">");
        }
        sb.append("]><Response><Say>&lol9;</Say></Response>");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertRejected(sb.toString(), "lollollol"));
    }

    @Test
    void bodySizeLimit() throws Exception {
        String head = "<Response><Say>";
        String tail = "</Say></Response>";
        String exact = head + "a".repeat(65536 - head.length() - tail.length()) + tail;
        assertEquals(65536, bytes(exact).length);
        TwimlParser.parse(bytes(exact));
        String over = head + "a".repeat(65537 - head.length() - tail.length()) + tail;
        TwimlException e = assertThrows(TwimlException.class, () -> TwimlParser.parse(bytes(over)));
        assertEquals(11750, e.code());
        assertEquals(List.of(11750), codes(TwimlParser.check(bytes(over))));
    }

    @Test
    void malformedReportsLine() {
        TwimlException e = assertThrows(TwimlException.class,
                () -> TwimlParser.parse(bytes("<?xml version=\"1.0\"?>\n<Response>\n<Say>hi</Say>\n<Play>x</Pla>\n</Response>")));
        assertEquals(12100, e.code());
        assertEquals(4, e.line());
        assertTrue(e.problems().get(0).error());
        assertEquals(12100, TwimlParser.check(bytes("<Response><Say>a & b</Say></Response>")).get(0).code());
        assertEquals(12100, TwimlParser.check(bytes("<Response><Say loop=1>a</Say></Response>")).get(0).code());
        assertEquals(12100, TwimlParser.check(bytes("")).get(0).code());
        assertEquals(12100, TwimlParser.check(bytes("<Response>")).get(0).code());
        assertEquals(12100, TwimlParser.check(bytes("not xml")).get(0).code());
    }

    @Test
    void rootMustBeResponse() {
        TwimlException e = assertThrows(TwimlException.class, () -> TwimlParser.parse(bytes("<Say>hi</Say>")));
        assertEquals(12102, e.code());
        assertEquals(12102, TwimlParser.check(bytes("<?xml version=\"1.0\"?>\n<response/>")).get(0).code());
        assertEquals(2, TwimlParser.check(bytes("<?xml version=\"1.0\"?>\n<response/>")).get(0).line());
    }

    @Test
    void namesAreCaseSensitive() throws Exception {
        Document d = TwimlParser.parse(bytes("<Response><say>x</say><Say Voice=\"woman\">y</Say><HANGUP/></Response>"));
        assertEquals(1, d.verbs().size());
        assertEquals("man", ((Say) d.verbs().get(0)).voice());
        assertEquals(List.of(12200, 12200, 12200), codes(d.warnings()));
    }

    @Test
    void leadingWhitespaceBeforeDeclarationIsLenient() throws Exception {
        Document d = TwimlParser.parse(bytes("\n \n<?xml version=\"1.0\"?>\n<Response>\n<Say>hi</Say></Response>"));
        assertEquals(1, d.verbs().size());
        assertEquals(5, d.verbs().get(0).line());
        assertEquals(List.of(12100), codes(d.warnings()));
        assertFalse(d.warnings().get(0).error());
        // BOM is fine, and whitespace before a root without declaration is plain XML
        assertEquals(List.of(), TwimlParser.parse(bytes("\uFEFF<?xml version=\"1.0\"?><Response/>")).warnings());
        assertEquals(List.of(), TwimlParser.parse(bytes("\n  <Response/>")).warnings());
    }

    @Test
    void otherEncodingsAndComments() throws Exception {
        byte[] latin = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Response><Say>caf\u00e9</Say><!-- c --></Response>"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals("caf\u00e9", ((Say) TwimlParser.parse(latin).verbs().get(0)).text());
        Document d = TwimlParser.parse(bytes("<Response><Say><![CDATA[a < b]]> &amp; &#65;</Say></Response>"));
        assertEquals("a < b & A", ((Say) d.verbs().get(0)).text());
    }

    @Test
    void deepNestingIsFatal() {
        String deep = "<Response>" + "<Say>".repeat(100) + "</Say>".repeat(100) + "</Response>";
        List<Problem> ps = TwimlParser.check(bytes(deep));
        assertTrue(ps.stream().anyMatch(p -> p.error() && p.code() == 12100));
    }

    @Test
    void emptyResponseIsValid() throws Exception {
        assertEquals(List.of(), TwimlParser.parse(bytes("<Response/>")).verbs());
        assertEquals(List.of(), TwimlParser.check(bytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>")));
    }
}
