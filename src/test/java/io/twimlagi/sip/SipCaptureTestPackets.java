package io.twimlagi.sip;

/** HEPv3 packets as Asterisk's res_hep sends them, for tests outside this package. */
public final class SipCaptureTestPackets {
    private SipCaptureTestPackets() {
    }

    public static byte[] hep(String sip) {
        return SipCaptureTest.hep(sip, 1, null);
    }
}
