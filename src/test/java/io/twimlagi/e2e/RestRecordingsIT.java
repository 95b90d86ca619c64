package io.twimlagi.e2e;

import com.twilio.exception.ApiException;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.Recording;
import io.twimlagi.e2e.harness.SippResult;
import io.twimlagi.e2e.harness.TestTones;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recordings through Twilio's SDK on the real Asterisk: a REST call with {@code Record=true} is recorded from the
 * callee's answer to the end (MixMonitor), announced to its RecordingStatusCallback, listed under the call and in
 * the account's list, its audio served with the tone the call played, and deleted with its file.
 */
class RestRecordingsIT {
    static Bench bench;
    static TwilioSdk sdk;

    @BeforeAll
    static void start() throws Exception {
        bench = new Bench();
        bench.app.always("/media/a440.wav", LiveUpdateIT.wav(440, 3.0));
        bench.app.always("/rec-done", new MockResponse().setResponseCode(204));
        sdk = new TwilioSdk(Bench.TOKEN);
        OutboundIT.bench = bench; // its callee helpers
    }

    @AfterAll
    static void stop() throws Exception {
        if (bench != null) bench.close();
    }

    static HttpResponse<byte[]> get(String path) throws Exception {
        String auth = Base64.getEncoder().encodeToString((Bench.ACCOUNT + ":" + Bench.TOKEN)
                .getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18089" + path))
                .header("Authorization", "Basic " + auth).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static <T> List<T> list(Iterable<T> all) {
        List<T> l = new ArrayList<>();
        all.forEach(l::add);
        return l;
    }

    @Test
    void aRecordedRestCallIsListedServedAndDeleted() throws Exception {
        String user = "rec-rest";
        bench.app.on(user, "/" + user, "<Response><Play>/media/a440.wav</Play><Hangup/></Response>");
        CompletableFuture<SippResult> callee = OutboundIT.callee("uas-answer-wait-bye.xml", Duration.ofMillis(200),
                200, null);
        Call call = OutboundIT.creator(user, "", null, 20).setRecord(true).setTrim("do-not-trim")
                .setRecordingStatusCallback(bench.app.url("/rec-done")).create(sdk.client);
        OutboundIT.ok(callee);
        Map<String, String> done = bench.app.awaitPathHits("/rec-done", 1, Duration.ofSeconds(20)).get(0).params();
        assertEquals("completed", done.get("RecordingStatus"));
        assertEquals("OutboundAPI", done.get("RecordingSource"));
        assertEquals(call.getSid(), done.get("CallSid"));
        String sid = done.get("RecordingSid");

        List<com.twilio.rest.api.v2010.account.call.Recording> underCall = list(
                com.twilio.rest.api.v2010.account.call.Recording.reader(call.getSid()).read(sdk.client));
        assertEquals(1, underCall.size());
        assertEquals(sid, underCall.get(0).getSid());
        List<Recording> filtered = list(Recording.reader().setCallSid(call.getSid()).read(sdk.client));
        assertEquals(1, filtered.size());
        Recording r = filtered.get(0);
        assertEquals(sid, r.getSid());
        assertEquals(Recording.Source.OUTBOUNDAPI, r.getSource());
        assertEquals(Recording.Status.COMPLETED, r.getStatus());
        assertEquals(1, r.getChannels());
        assertTrue(Integer.parseInt(r.getDuration()) >= 3, "from the answer to the end: " + r.getDuration());
        assertTrue(list(Recording.reader().read(sdk.client)).stream().anyMatch(x -> x.getSid().equals(sid)),
                "in the account's list too");
        assertEquals(sid, Recording.fetcher(sid).fetch(sdk.client).getSid());

        HttpResponse<byte[]> wav = get("/2010-04-01/Accounts/" + Bench.ACCOUNT + "/Recordings/" + sid + ".wav");
        assertEquals(200, wav.statusCode());
        Path file = Files.createTempFile("rec", ".wav");
        try {
            Files.write(file, wav.body());
            long heard = TestTones.toneMillis(TestTones.readWav(file), 440);
            assertTrue(heard >= 2000, "the call's 440 Hz is in the recording: " + heard + " ms");
        } finally {
            Files.deleteIfExists(file);
        }

        assertTrue(Recording.deleter(sid).delete(sdk.client));
        ApiException gone = assertThrows(ApiException.class, () -> Recording.fetcher(sid).fetch(sdk.client));
        assertEquals(20404, gone.getCode());
        assertEquals(404, get("/2010-04-01/Accounts/" + Bench.ACCOUNT + "/Recordings/" + sid + ".wav").statusCode(),
                "the audio went with the record");
        assertFalse(com.twilio.rest.api.v2010.account.call.Recording.reader(call.getSid()).read(sdk.client).iterator().hasNext());
    }
}
