package io.twimlagi.sip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/** HEPv3 (Homer's encapsulation, as Asterisk's res_hep sends it): only what SipCapture needs. */
final class HepPacket {
    private HepPacket() {
    }

    /**
     * The SIP text of a HEPv3 packet ({@code "HEP3"}, total length, then chunks of vendor, type, length incl. the
     * 6-byte chunk header, value): chunk 11 is the protocol (1 = SIP), 14 the auth key, 15 the payload.
     */
    static String sipPayload(byte[] b, int len, byte[] password) {
        if (len < 6 || b[0] != 'H' || b[1] != 'E' || b[2] != 'P' || b[3] != '3') return null;
        int total = Math.min(len, u16(b, 4));
        int i = 6;
        int proto = -1;
        byte[] key = null;
        String payload = null;
        while (i + 6 <= total) {
            int vendor = u16(b, i);
            int type = u16(b, i + 2);
            int clen = u16(b, i + 4);
            if (clen < 6 || i + clen > total) return null;
            if (vendor == 0) {
                if (type == 11 && clen == 7) proto = b[i + 6] & 0xff;
                if (type == 14) key = Arrays.copyOfRange(b, i + 6, i + clen);
                if (type == 15) payload = new String(b, i + 6, clen - 6, StandardCharsets.UTF_8);
            }
            i += clen;
        }
        if (password != null && (key == null || !MessageDigest.isEqual(trimNul(key), password))) return null;
        return proto == 1 ? payload : null;
    }

    private static byte[] trimNul(byte[] k) {
        int n = k.length;
        while (n > 0 && k[n - 1] == 0) n--;
        return n == k.length ? k : Arrays.copyOf(k, n);
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

}
