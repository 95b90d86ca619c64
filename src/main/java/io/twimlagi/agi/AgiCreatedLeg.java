package io.twimlagi.agi;

import org.asteriskjava.fastagi.AgiChannel;

import java.util.List;

/**
 * The AGI session Asterisk opens from the dialplan's {@code twiml-dial-leg,watch} pre-dial handler on each new
 * outbound leg of a Dial, before its INVITE is sent: one read of the leg's SIP Call-ID and of what it dials
 * ({@code DIALEDPEERNUMBER}: the Dial target after {@code PJSIP/}, e.g. {@code trunk/sip:bob@host}), so the
 * server can watch the leg ring. It must be quick: the INVITE waits for it.
 */
public final class AgiCreatedLeg {
    /** The AGI script name in the dialplan's {@code agi://host:port/twiml-leg} URL. */
    public static final String SCRIPT = "twiml-leg";

    /** A new leg: its Call-ID (empty when not SIP) and its Dial target without the technology. */
    public record Created(String callId, String dialed) {
    }

    private AgiCreatedLeg() {
    }

    public static Created read(AgiChannel channel) {
        String[] v = InviteReader.values(new BlockingAppSession(channel)::get,
                List.of("${CHANNEL(pjsip,call-id)}", "${DIALEDPEERNUMBER}"));
        return new Created(v[0].strip(), v[1].strip());
    }
}
