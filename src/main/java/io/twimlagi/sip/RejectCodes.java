package io.twimlagi.sip;

/** SIP final responses the server sends itself, with the Q.850 cause that yields each on chan_pjsip. */
public enum RejectCodes {
    /** {@code <Reject reason="busy">}. */
    BUSY(486, 17),
    /** {@code <Reject reason="rejected">} or no reason: Twilio's SIP-domain mapping is 404, not 603. */
    REJECTED(404, 1),
    /** The SIP domain's admission ({@code acl}, {@code endpoints}) refused the caller. */
    FORBIDDEN(403, 21),
    /** Application error before answer (webhook and fallback both failed). */
    SERVER_ERROR(500, 38),
    /** The server could not take the call (dialplan fallback, shutdown). */
    UNAVAILABLE(503, 34);

    public final int sipCode;
    public final int q850Cause;

    /** The Q.850 cause chan_pjsip turns into this SIP code; 0 when none does (PJSIPHangup is then required). */
    public static int causeFor(int sipCode) {
        for (RejectCodes c : values()) {
            if (c.sipCode == sipCode) return c.q850Cause;
        }
        return 0;
    }

    RejectCodes(int sipCode, int q850Cause) {
        this.sipCode = sipCode;
        this.q850Cause = q850Cause;
    }
}
