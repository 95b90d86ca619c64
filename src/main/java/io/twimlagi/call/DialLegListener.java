package io.twimlagi.call;

/** Where a Dial's legs report from the dialplan, by the Dial's token. */
public interface DialLegListener {
    /**
     * A leg answered (the dialplan's twiml-dial-answered routine): runs what must happen before the bridge on the
     * callee's {@code call}; false = do not connect it.
     */
    boolean answered(Call callee, AnsweredLeg leg);

    /**
     * A leg was created, before its INVITE (the dialplan's twiml-dial-leg,watch handler): its SIP {@code callId}
     * and its Dial target without the technology ({@code dialed}). Must return quickly.
     */
    void created(String token, String dialed, String callId);
}
