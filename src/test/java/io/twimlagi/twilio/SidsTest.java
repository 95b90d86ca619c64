package io.twimlagi.twilio;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SidsTest {
    @Test
    void randomSidsAreWellFormedAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String ca = Sids.newCallSid();
            String re = Sids.newRecordingSid();
            assertTrue(ca.matches("CA[0-9a-f]{32}"), ca);
            assertTrue(re.matches("RE[0-9a-f]{32}"), re);
            assertTrue(seen.add(ca) && seen.add(re));
        }
    }

    @Test
    void derivedDomainSidIsStableAndCaseInsensitive() throws Exception {
        String expected = "SD" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("pbx.example.com".getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        assertEquals(expected, Sids.derivedDomainSid("pbx.example.com"));
        assertEquals(expected, Sids.derivedDomainSid("PBX.Example.Com"));
        // pinned value so an accidental algorithm change is caught
        assertEquals("SD528623e94d63503205983cfa822861b7", expected);
        assertTrue(Sids.isValid("SD", expected));
    }

    @Test
    void isValid() {
        assertTrue(Sids.isValid("AC", "AC0123456789abcdefABCDEF0123456789"));
        assertFalse(Sids.isValid("AC", "AC0123456789abcdefABCDEF012345678"));
        assertFalse(Sids.isValid("AC", "AC0123456789abcdefABCDEF01234567890"));
        assertFalse(Sids.isValid("AC", "CA0123456789abcdefABCDEF0123456789"));
        assertFalse(Sids.isValid("AC", "AC0123456789abcdefABCDEF012345678g"));
        assertFalse(Sids.isValid("AC", null));
    }
}
