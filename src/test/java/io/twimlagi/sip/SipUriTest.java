package io.twimlagi.sip;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SipUriTest {
    @Test
    void requestUriLosesPortParametersAndHeaders() {
        assertEquals("sip:+15551234567@pbx.example.com",
                SipUri.normalize("sip:+15551234567@pbx.example.com:5060;transport=udp"));
        assertEquals("sip:+15551234567@pbx.example.com",
                SipUri.normalize("<sip:+15551234567@PBX.example.com:5060;user=phone?X-A=b>"));
        assertEquals("sips:alice@[2001:db8::1]", SipUri.normalize("sips:alice@[2001:db8::1]:5061"));
        assertEquals("sip:pbx.example.com", SipUri.normalize("sip:pbx.example.com:5060"));
        assertEquals("sip:\"a\"@h", SipUri.normalize("sip:\\\"a\\\"@h")); // Asterisk escapes quotes
    }

    @Test
    void hostUserAndSourceIp() {
        assertEquals("pbx.example.com", SipUri.hostOf("sip:+1555@PBX.Example.com:5060;transport=tcp"));
        assertEquals("+1555", SipUri.userOf("sip:+1555@pbx.example.com"));
        assertEquals("", SipUri.userOf("sip:pbx.example.com"));
        assertEquals("127.0.0.1", SipUri.ipWithoutPort("127.0.0.1:5080"));
        assertEquals("::1", SipUri.ipWithoutPort("[::1]:5060"));
        assertEquals("10.0.0.1", SipUri.ipWithoutPort("10.0.0.1"));
    }

    @Test
    void headerNamesMustBeTokens() {
        assertTrue(SipHeaders.isToken("X-Customer-Id"));
        assertFalse(SipHeaders.isToken("X-A)}${SHELL(rm)"));
        assertFalse(SipHeaders.isToken("X-A,B"));
        assertFalse(SipHeaders.isToken(""));
        assertTrue(SipHeaders.isReported("x-lower"));
        assertTrue(SipHeaders.isReported("User-to-User"));
        assertFalse(SipHeaders.isReported("Contact"));
    }
}
