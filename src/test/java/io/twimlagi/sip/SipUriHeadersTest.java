package io.twimlagi.sip;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SipUriHeadersTest {
    static int code(String uri) {
        return assertThrows(SipUriHeaders.Invalid.class, () -> SipUriHeaders.parse(uri)).code();
    }

    @Test
    void splitsAndDecodesHeaders() throws Exception {
        SipUriHeaders.Parsed p = SipUriHeaders.parse(" sip:jack@example.com;transport=tcp?x-mycustomheader=foo"
                + "&X-Two=a%2Cb%3Bc%3Dd&User-to-User=123456789%3Bencoding%3Dhex&P-Called-Party-ID=%3Csip:a@b%3E ");
        assertEquals("sip:jack@example.com;transport=tcp", p.uri());
        assertEquals(Map.of("x-mycustomheader", "foo", "X-Two", "a,b;c=d", "User-to-User", "123456789;encoding=hex",
                "P-Called-Party-ID", "<sip:a@b>"), p.headers());
        assertEquals("sips:b@[::1]:5061", SipUriHeaders.parse("sips:b@[::1]:5061").uri());
        assertEquals("é", SipUriHeaders.parse("sip:a@b?X-U=%C3%A9").headers().get("X-U"));
    }

    @Test
    void rejectsWhatTwilioRejects() {
        assertEquals(13243, code("tel:+1555"));
        assertEquals(13243, code("sip:"));
        assertEquals(13243, code("sip:a@b,c"));
        assertEquals(13243, code("sip:a/b@c"));
        assertEquals(13243, code("sip:a@b)"));
        assertEquals(13243, code("sip:${EVIL}@b"));
        assertEquals(13243, code("sip:a b@c"));
        assertEquals(13243, code("sip:a@" + "h".repeat(260)));
        assertEquals(32113, code("sip:a@b?X-Twilio-CallSid=1"));
        assertEquals(13252, code("sip:a@b?Contact=x"));
        assertEquals(13252, code("sip:a@b?Via=x"));
        assertEquals(21228, code("sip:a@b?X-A%0D%0AVia=1"));
        assertEquals(21228, code("sip:a@b?X(A)=1"));
        assertEquals(21229, code("sip:a@b?X-A=1%0D%0AVia:%20x"));
        assertEquals(21229, code("sip:a@b?X-A=%00"));
        assertEquals(21228, code("sip:a@b?X-A=%G1"));
        assertEquals(21228, code("sip:a@b?X-A=%4"));
        assertEquals(21227, code("sip:a@b?X-A=" + "v".repeat(1100)));
    }
}
