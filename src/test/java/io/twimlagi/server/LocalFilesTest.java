package io.twimlagi.server;

import io.twimlagi.config.Domain;
import io.twimlagi.engine.CallIdentity;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.FakeCall;
import io.twimlagi.media.ToneTts;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.webhook.UrlPolicy;
import io.twimlagi.webhook.WebhookClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code file:} URLs from TwiML (README "Security"): an HTTP document never reaches a local file, and its fallback
 * cannot tell whether one exists; a domain whose voice_url is {@code file:} reads below its file_root only.
 */
class LocalFilesTest {
    static final String BUSY = "<Response><Reject reason=\"busy\"/></Response>";
    static final String NOT_FOUND = "<Response><Reject/></Response>";

    @TempDir
    Path media;
    @TempDir
    Path apps;
    @TempDir
    Path outside;
    MockWebServer app;
    final Map<String, String> routes = new ConcurrentHashMap<>();
    WebhookClient webhooks;
    FakeCall call;

    @BeforeEach
    void start() throws Exception {
        app = new MockWebServer();
        app.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String xml = routes.get(r.getRequestUrl().encodedPath());
                return xml == null ? new MockResponse().setResponseCode(404)
                        : new MockResponse().setHeader("Content-Type", "text/xml").setBody(xml);
            }
        });
        app.start();
        webhooks = new WebhookClient("token", Duration.ofSeconds(2), Duration.ofSeconds(3));
        Files.writeString(outside.resolve("busy.xml"), BUSY);
        Files.writeString(outside.resolve("pjsip.conf"), "[trunk]\ntype=endpoint\n");
        Files.write(outside.resolve("secret.wav"), ToneTts.wav(8000, 1, 0.5, 440));
        Files.write(apps.resolve("tone.wav"), ToneTts.wav(8000, 1, 0.5, 440));
    }

    @AfterEach
    void stop() throws Exception {
        webhooks.close();
        app.shutdown();
    }

    String http(String path) {
        return app.url(path).toString();
    }

    static String file(Path p) {
        return p.toUri().toString();
    }

    void run(String voiceUrl, String fallbackUrl) throws Exception {
        call = new FakeCall();
        Domain domain = new Domain("pbx.example.com", "SD" + "ab".repeat(16), voiceUrl, HttpMethod.POST,
                fallbackUrl, HttpMethod.POST, null, HttpMethod.POST);
        SipInvite invite = new SipInvite("sip:1@pbx.example.com", "sip:a@b", "pbx.example.com", "c", "127.0.0.1",
                Map.of());
        try (Services services = TestServices.build(media, "/ast", new ToneTts())) {
            new CallSession(services, call, CallIdentity.inbound("CA" + "cd".repeat(16), TestServices.ACCOUNT,
                    invite, domain)).run("PJSIP/test-00000001");
        }
    }

    /** The next request to the fallback path, form-decoded. */
    Map<String, String> fallbackRequest() throws Exception {
        while (true) {
            RecordedRequest r = app.takeRequest(5, TimeUnit.SECONDS);
            if (r == null) throw new AssertionError("no fallback request");
            if (r.getPath().equals("/fallback")) return CallSessionTest.form(r);
        }
    }

    long played(String folder) {
        return call.events.stream().filter(e -> e.startsWith("play /ast/" + folder + "/")).count();
    }

    @Test
    void anHttpDocumentCannotRedirectToALocalFileAndItsFallbackCannotTellWhetherItExists() throws Exception {
        routes.put("/fallback", NOT_FOUND);
        for (Path target : List.of(outside.resolve("busy.xml"), outside.resolve("pjsip.conf"),
                outside.resolve("missing.xml"))) {
            routes.put("/voice", "<Response><Redirect>" + file(target) + "</Redirect></Response>");
            run(http("/voice"), http("/fallback"));
            assertEquals(List.of("reject 404"), call.events, target + ": the fallback's document ran");
            Map<String, String> p = fallbackRequest();
            assertEquals("11200", p.get("ErrorCode"), target + ": same code whether it exists or not");
            assertEquals(file(target), p.get("ErrorUrl"));
        }
    }

    @Test
    void otherSchemesAreRefusedAsUnreachableUrls() throws Exception {
        routes.put("/fallback", NOT_FOUND);
        for (String url : List.of("jar:" + file(outside.resolve("a.jar")) + "!/x.xml", "ftp://127.0.0.1/x.xml",
                "netdoc:///etc/passwd")) {
            routes.put("/voice", "<Response><Redirect>" + url + "</Redirect></Response>");
            run(http("/voice"), http("/fallback"));
            assertEquals(List.of("reject 404"), call.events);
            assertEquals("11200", fallbackRequest().get("ErrorCode"), url);
        }
    }

    @Test
    void anHttpDocumentsPlayOfALocalFileIsNotHeardAndTheNextVerbRuns() throws Exception {
        routes.put("/voice", "<Response><Play>" + file(outside.resolve("secret.wav")) + "</Play>"
                + "<Gather numDigits=\"1\" timeout=\"1\"><Play>" + file(outside.resolve("secret.wav")) + "</Play>"
                + "</Gather><Say>next</Say></Response>");
        run(http("/voice"), null);
        assertEquals(0, played("play"), "no local audio reaches the caller: " + call.events);
        assertEquals(1, played("tts"), "the Say after them runs: " + call.events);
    }

    @Test
    void aFileDomainReadsBelowItsRootAfterDotDotAndSymbolicLinks() throws Exception {
        Files.createDirectories(apps.resolve("sub"));
        Files.writeString(apps.resolve("sub/ok.xml"), "<Response><Play>../tone.wav</Play></Response>");
        Files.writeString(apps.resolve("main.xml"), "<Response><Redirect>sub/ok.xml</Redirect></Response>");
        run(file(apps.resolve("main.xml")), null);
        assertEquals(1, played("play"), "its own document and audio, through ../ inside the root: " + call.events);

        Files.createSymbolicLink(apps.resolve("link.xml"), outside.resolve("busy.xml"));
        Path up = apps.relativize(outside.resolve("busy.xml"));
        for (String escape : List.of(up.toString(), "link.xml", file(outside.resolve("busy.xml")))) {
            Files.writeString(apps.resolve("main.xml"), "<Response><Redirect>" + escape + "</Redirect></Response>");
            run(file(apps.resolve("main.xml")), null);
            assertEquals(List.of("reject 500"), call.events, escape + " is outside file_root: an application error");
        }
        Files.writeString(apps.resolve("main.xml"), "<Response><Play>" + file(outside.resolve("secret.wav"))
                + "</Play><Say>next</Say></Response>");
        run(file(apps.resolve("main.xml")), null);
        assertEquals(0, played("play"), call.events.toString());
    }

    @Test
    void anHttpDocumentNeverReachesLocalFilesEvenInACallThatStartedFromOne() throws Exception {
        Files.writeString(apps.resolve("ok.xml"), BUSY);
        Files.writeString(apps.resolve("main.xml"), "<Response><Redirect>" + http("/voice") + "</Redirect></Response>");
        routes.put("/voice", "<Response><Play>" + file(apps.resolve("tone.wav")) + "</Play><Redirect>"
                + file(apps.resolve("ok.xml")) + "</Redirect></Response>");
        run(file(apps.resolve("main.xml")), null);
        assertEquals(0, played("play"), call.events.toString());
        assertFalse(call.events.contains("reject 486"), call.events.toString());
        assertEquals("hangup", call.events.get(call.events.size() - 1), "an application error: " + call.events);
    }

    @Test
    void aFileFallbackIsTheOperatorsChoiceAndMayUseItsFolder() throws Exception {
        Files.writeString(apps.resolve("fallback.xml"), "<Response><Redirect>busy.xml</Redirect></Response>");
        Files.writeString(apps.resolve("busy.xml"), BUSY);
        run(http("/down"), file(apps.resolve("fallback.xml")));
        assertEquals(List.of("reject 486"), call.events);
    }

    @Test
    void resolutionMarksWhatADocumentMayNotName() {
        String fromHttp = CallContext.resolve("https://app.example.com/ivr.xml", "file:///etc/passwd");
        assertTrue(UrlPolicy.isRefused(fromHttp), fromHttp);
        assertEquals("file:///etc/passwd", UrlPolicy.original(fromHttp));
        assertTrue(UrlPolicy.isRefused(CallContext.resolve("https://app.example.com/ivr.xml", "FILE:/etc/passwd")));
        assertEquals("file:/apps/sub/next.xml", CallContext.resolve("file:///apps/main.xml", "sub/next.xml"));
        assertEquals("https://app.example.com/next", CallContext.resolve("file:///apps/main.xml",
                "https://app.example.com/next"));
    }
}
