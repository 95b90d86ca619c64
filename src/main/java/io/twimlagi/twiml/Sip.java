package io.twimlagi.twiml;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code <Sip>} in Dial (also the target of Refer).
 *
 * @param uri     the body text; when empty and {@code <Uri>} children exist, the first of them
 * @param uris    {@code <Uri>} children (may be empty)
 * @param headers {@code <Headers><Header name value/></Headers>} children, in order
 */
public record Sip(String uri, String username, String password, String url, HttpMethod method, String statusCallback,
                  HttpMethod statusCallbackMethod, Set<String> statusCallbackEvent, MachineDetection machineDetection,
                  List<SipUri> uris, Map<String, String> headers, int line) implements DialNoun {
    public Sip {
        statusCallbackEvent = Imm.set(statusCallbackEvent);
        uris = List.copyOf(uris);
        headers = Imm.map(headers);
    }
}
