package io.twimlagi.ami;

/**
 * Asterisk's numeric {@code Reason} of an {@code OriginateResponse}: not a hangup cause but an old "control frame"
 * number, computed by {@code pbx_dial_reason()} in Asterisk 22's main/pbx.c from the dial result and the cause that
 * main/dial.c recorded. That cause is only recorded for BUSY/CONGESTION control frames and for the timeout, and
 * chan_pjsip sends no such frames: a PJSIP callee's 486, 603 or 404 all come back as {@link #FAILED} (0); only
 * {@link #ANSWERED} and {@link #NO_ANSWER} (the Originate's own timeout) are told apart. The callee's real answer is
 * in {@link OriginateResult#hangup()} (cause and SIP code).
 */
public enum OriginateReason {
    /** 0: any other failure: no such number (cause 1), no route, unknown endpoint, channel not created... */
    FAILED(0),
    /** 1: the dial was hung up before it ended (AST_DIAL_RESULT_HANGUP). */
    HUNG_UP(1),
    /** 3: it rang but nobody answered: the timeout (cause 19 no answer) or answered elsewhere (cause 26). */
    NO_ANSWER(3),
    /** 4: answered; the call runs in the dialplan or application given. */
    ANSWERED(4),
    /** 5: busy (cause 17, a SIP 486/600). */
    BUSY(5),
    /** 8: congestion: call rejected (21), destination or network out of order (27, 38), temporary failure (41),
     *  congestion (34, 42). */
    CONGESTION(8),
    /** A number Asterisk 22 does not produce. */
    OTHER(-1);

    private final int code;

    OriginateReason(int code) {
        this.code = code;
    }

    /** Asterisk's number; -1 for {@link #OTHER}. */
    public int code() {
        return code;
    }

    static OriginateReason of(Integer code) {
        if (code == null) return OTHER;
        for (OriginateReason r : values()) {
            if (r.code == code) return r;
        }
        return OTHER;
    }
}
