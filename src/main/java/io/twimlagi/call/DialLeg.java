package io.twimlagi.call;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One destination of a Dial. {@code dialString} is a complete, validated Asterisk dial string
 * ({@code PJSIP/+1555@trunk}, {@code PJSIP/trunk/sip:bob@host}); {@code headers} (validated SIP tokens and
 * values) go on its INVITE; {@code sip} marks a {@code <Sip>} noun.
 */
public record DialLeg(String dialString, Map<String, String> headers, boolean sip) {
    public DialLeg {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }
}
