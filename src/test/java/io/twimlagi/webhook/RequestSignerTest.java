package io.twimlagi.webhook;

import com.twilio.security.RequestValidator;
import io.twimlagi.twiml.HttpMethod;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** twiml.md §4.4 vectors, plus random requests cross-checked with Twilio's own RequestValidator. */
class RequestSignerTest {

    private static Map<String, String> docsParams(String caller) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("To", "+18005551212");          // deliberately unsorted
        p.put("From", caller);
        p.put("Digits", "1234");
        p.put("Caller", caller);
        p.put("CallSid", "CA1234567890ABCDE");
        return p;
    }

    @Test
    void docsExample() {
        assertEquals("L/OH5YylLD5NRKLltdqwSvS0BnU=", RequestSigner.sign("12345",
                "https://example.com/myapp.php?foo=1&bar=2", HttpMethod.POST, docsParams("+14158675310")));
    }

    @Test
    void twilioPythonVector() {
        assertEquals("RSOYDt4T1cUTdK1PDd93/VVr8B8=", RequestSigner.sign("12345",
                "https://mycompany.com/myapp.php?foo=1&bar=2", HttpMethod.POST, docsParams("+14158675309")));
    }

    @Test
    void twilioPythonVectorWithPort() {
        assertEquals("kvajT1Ptam85bY51eRf/AJRuM3w=", RequestSigner.sign("12345",
                "https://mycompany.com:443/myapp.php?foo=1&bar=2", HttpMethod.POST, docsParams("+14158675309")));
    }

    @Test
    void jsonBodyVector() {
        String url = "https://mycompany.com/myapp.php?foo=1&bar=2"
                + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
        assertEquals("a9nBmqA0ju/hNViExpshrM61xv4=", RequestSigner.sign("12345", url, HttpMethod.POST, Map.of()));
    }

    @Test
    void getVectorAppendsNothing() {
        String url = "https://example.com/voice?CallSid=CA123&From=%2B14158675310";
        assertEquals("TTu2hermoVznclD/gGquIiZbvLw=", RequestSigner.sign("12345", url, HttpMethod.GET, Map.of()));
        assertEquals("TTu2hermoVznclD/gGquIiZbvLw=", RequestSigner.sign("12345", url, HttpMethod.GET,
                Map.of("Ignored", "for GET")));
    }

    @Test
    void listFormSortsRepeatedNamesAndDropsExactDuplicates() {
        String url = "https://example.com/a";
        String expected = RequestSigner.sign("t", url, HttpMethod.POST, Map.of("A", "1"));
        assertEquals(expected, RequestSigner.sign("t", url, HttpMethod.POST, List.of(Map.entry("A", "1"),
                Map.entry("A", "1"))));
        assertEquals(RequestSigner.sign("t", url, HttpMethod.POST, List.of(Map.entry("A", "1"), Map.entry("A", "2"))),
                RequestSigner.sign("t", url, HttpMethod.POST, List.of(Map.entry("A", "2"), Map.entry("A", "1"))));
        assertNotEquals(expected, RequestSigner.sign("u", url, HttpMethod.POST, Map.of("A", "1")));
    }

    @Test
    void randomPostRequestsValidateWithTwilioLibrary() {
        Random rnd = new Random(42);
        for (int i = 0; i < 500; i++) {
            String token = randomToken(rnd);
            String url = randomUrl(rnd);
            Map<String, String> params = new LinkedHashMap<>();
            int n = rnd.nextInt(12);
            for (int k = 0; k < n; k++) params.put(randomName(rnd), randomText(rnd, rnd.nextInt(20)));
            String sig = RequestSigner.sign(token, url, HttpMethod.POST, params);
            assertTrue(new RequestValidator(token).validate(url, params, sig), () -> url + " " + params);
        }
    }

    @Test
    void randomGetRequestsValidateWithTwilioLibrary() {
        Random rnd = new Random(7);
        for (int i = 0; i < 500; i++) {
            String token = randomToken(rnd);
            HttpUrl.Builder b = HttpUrl.get(randomUrl(rnd)).newBuilder();
            int n = rnd.nextInt(12);
            for (int k = 0; k < n; k++) b.addQueryParameter(randomName(rnd), randomText(rnd, rnd.nextInt(20)));
            String url = b.build().toString();
            String sig = RequestSigner.sign(token, url, HttpMethod.GET, Map.of());
            assertTrue(new RequestValidator(token).validate(url, Map.of(), sig), url);
        }
    }

    private static String randomToken(Random rnd) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 32; i++) sb.append(Character.forDigit(rnd.nextInt(16), 16));
        return sb.toString();
    }

    private static String randomUrl(Random rnd) {
        String scheme = rnd.nextBoolean() ? "https" : "http";
        String port = rnd.nextInt(3) == 0 ? ":" + (1024 + rnd.nextInt(60000)) : "";
        String query = rnd.nextBoolean() ? "?x=" + rnd.nextInt(100) + "&y=a%20b" : "";
        return scheme + "://host" + rnd.nextInt(10) + ".example.com" + port + "/p/" + rnd.nextInt(1000) + query;
    }

    private static final String NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    private static String randomName(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int len = 1 + rnd.nextInt(12);
        for (int i = 0; i < len; i++) sb.append(NAME_CHARS.charAt(rnd.nextInt(NAME_CHARS.length())));
        return sb.toString();
    }

    private static final String TEXT_CHARS = NAME_CHARS + " +&=%?#/:;@!'\"<>éüß中文€";

    private static String randomText(Random rnd, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) sb.append(TEXT_CHARS.charAt(rnd.nextInt(TEXT_CHARS.length())));
        if (rnd.nextInt(20) == 0) sb.append("\uD83D\uDE00");   // a non-BMP character now and then
        return sb.toString();
    }
}
