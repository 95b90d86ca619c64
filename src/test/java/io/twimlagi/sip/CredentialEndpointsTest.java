package io.twimlagi.sip;

import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run-time PJSIP endpoint and auth objects of {@code <Sip username password>}, as res_config_curl reads them. */
class CredentialEndpointsTest {
    static final Map<String, String> OPTIONS = new LinkedHashMap<>(Map.of("transport", "transport-udp"));

    static {
        OPTIONS.put("disallow", "all");
        OPTIONS.put("allow", "ulaw,alaw");
    }

    static Map<String, String> fields(String reply) {
        Map<String, String> out = new LinkedHashMap<>();
        assertTrue(reply.endsWith("\n") && reply.indexOf('\n') == reply.length() - 1, "one line: " + reply);
        for (String pair : reply.strip().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void endpointAndAuthShareAnIdAndCarryTheOptionsInOrder() {
        CredentialEndpoints c = new CredentialEndpoints();
        String id = c.endpointFor("bob", "p&ss=w;rd ü+x", OPTIONS);
        assertTrue(c.realtimeReply("ps_auths", "id=" + id).contains("password=p%26ss%3Dw%3Brd%20%C3%BC%2Bx"),
                "a space is %20: res_config_curl does not decode +");
        assertTrue(id.matches("twiml-auth-[0-9a-f]{16}"), id);
        Map<String, String> ep = fields(c.realtimeReply("ps_endpoints", "id=" + id));
        assertEquals(java.util.List.of("id", "transport", "disallow", "allow", "outbound_auth", "identify_by", "context"),
                java.util.List.copyOf(ep.keySet()), "disallow before allow, or Asterisk offers no codec");
        assertEquals("ip", ep.get("identify_by"), "never identified as the source of an inbound request");
        assertEquals("ulaw,alaw", ep.get("allow"));
        assertEquals(id, ep.get("outbound_auth"));
        Map<String, String> auth = fields(c.realtimeReply("ps_auths", "id=" + id));
        assertEquals(Map.of("id", id, "auth_type", "userpass", "username", "bob", "password", "p&ss=w;rd ü+x"), auth);
    }

    @Test
    void theSameCredentialsReuseTheEndpointOthersGetTheirOwn() {
        CredentialEndpoints c = new CredentialEndpoints();
        String a = c.endpointFor("bob", "x", OPTIONS);
        assertEquals(a, c.endpointFor("bob", "x", OPTIONS));
        assertNotEquals(a, c.endpointFor("bob", "y", OPTIONS));
        assertNotEquals(a, c.endpointFor("alice", "x", OPTIONS));
    }

    @Test
    void unknownIdsOtherFamiliesAndMalformedRequestsGetNoRows() {
        CredentialEndpoints c = new CredentialEndpoints();
        String id = c.endpointFor("bob", "x", OPTIONS);
        assertEquals("", c.realtimeReply("ps_endpoints", "id=trunk"));
        assertEquals("", c.realtimeReply("ps_endpoints", "id=twiml-auth-0000000000000000"));
        assertEquals("", c.realtimeReply("ps_aors", "id=" + id));
        assertEquals("", c.realtimeReply("ps_auths", ""));
        assertEquals("", c.realtimeReply("ps_auths", "id%20LIKE=%25"));
    }

    @Test
    void controlCharactersEmptyOrHugeCredentialsAreRefused() {
        CredentialEndpoints c = new CredentialEndpoints();
        assertThrows(IllegalArgumentException.class, () -> c.endpointFor("bob\r\nX: y", "x", OPTIONS));
        assertThrows(IllegalArgumentException.class, () -> c.endpointFor("bob", "x\u0000", OPTIONS));
        assertThrows(IllegalArgumentException.class, () -> c.endpointFor("", "x", OPTIONS));
        assertThrows(IllegalArgumentException.class, () -> c.endpointFor("bob", "x".repeat(257), OPTIONS));
    }

    @Test
    void atMostAThousandAreRemembered() {
        CredentialEndpoints c = new CredentialEndpoints();
        String first = c.endpointFor("user0", "x", OPTIONS);
        for (int i = 1; i <= CredentialEndpoints.MAX; i++) c.endpointFor("user" + i, "x", OPTIONS);
        assertEquals("", c.realtimeReply("ps_auths", "id=" + first), "the least recently used is forgotten");
    }
}
