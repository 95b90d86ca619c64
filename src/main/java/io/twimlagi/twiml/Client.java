package io.twimlagi.twiml;

import java.util.List;
import java.util.Set;

/** {@code <Client>} in Dial; identity from the body text or an {@code <Identity>} child. */
public record Client(String identity, String url, HttpMethod method, String statusCallback,
                     HttpMethod statusCallbackMethod, Set<String> statusCallbackEvent, String clientNotificationUrl,
                     List<Parameter> parameters, int line) implements DialNoun {
    public Client {
        statusCallbackEvent = Imm.set(statusCallbackEvent);
        parameters = List.copyOf(parameters);
    }
}
