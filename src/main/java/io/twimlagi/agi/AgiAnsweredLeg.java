package io.twimlagi.agi;

import io.twimlagi.call.AnsweredLeg;
import org.asteriskjava.fastagi.AgiChannel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The AGI session Asterisk opens from the dialplan's twiml-dial-answered routine (Dial option {@code U()}) on the
 * leg that answered: it reads which leg this is and its 200 OK's X- headers, and afterwards tells Asterisk whether
 * to bridge it ({@code GOSUB_RESULT=CONTINUE} hangs the leg up and returns the caller's Dial unconnected).
 */
public final class AgiAnsweredLeg {
    /** The AGI script name in the dialplan's {@code agi://host:port/twiml-answered} URL. */
    public static final String SCRIPT = "twiml-answered";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9.!%*_+`'~-]{1,128}");
    private static final int MAX_HEADERS = 16;

    private final BlockingAppSession session;

    public AgiAnsweredLeg(AgiChannel channel) {
        this.session = new BlockingAppSession(channel);
    }

    /**
     * Reads the leg: two GET FULL VARIABLE round trips (the second only when the 200 OK had X- headers). A value
     * that contains the separator would shift the others; then each field is read on its own instead.
     */
    public AnsweredLeg read(String token, String channelName) {
        String[] v = InviteReader.values(session::get, List.of("${MASTER_CHANNEL(TWIML_DIAL_LEGS)}",
                "${CHANNEL(pjsip,call-id)}",
                "${PJSIP_RESPONSE_HEADERS(X-)}"));
        List<AgiDialer.Leg> legs = AgiDialer.parseLegs(v[0]);
        int index = -1;
        for (int i = 0; i < legs.size(); i++) if (legs.get(i).channel().equals(channelName)) index = i;
        String callId = v[1].strip();
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> names = List.of(v[2].split(",")).stream().map(String::strip)
                .filter(n -> TOKEN.matcher(n).matches()).distinct().limit(MAX_HEADERS).toList();
        if (!names.isEmpty()) {
            String[] vals = InviteReader.values(session::get,
                    names.stream().map(n -> "${PJSIP_RESPONSE_HEADER(read," + n + ",1)}").toList());
            for (int i = 0; i < names.size(); i++) headers.put(names.get(i), vals[i]);
        }
        return new AnsweredLeg(token, index, legs.size(), callId, headers);
    }

    /** Tells Asterisk not to bridge this leg: it is hung up and the caller's Dial returns. */
    public void refuse() {
        session.set("MASTER_CHANNEL(TWIML_DIAL_REFUSED)", "1"); // read by the caller's AgiDialer after the Dial
        session.set("GOSUB_RESULT", "CONTINUE");
    }
}
