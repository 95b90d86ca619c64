package io.twimlagi.twiml;

import java.util.ArrayList;
import java.util.List;

/** Reads {@code <Pay>} (kept, not executed) with its {@code <Prompt>} and {@code <Parameter>} children. */
final class PayReader {
    private PayReader() {}

    static Pay read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, "input", "action", "bankAccountType", "statusCallback",
                "statusCallbackMethod", "timeout", "maxAttempts", "securityCode", "postalCode", "minPostalCodeLength",
                "paymentConnector", "paymentMethod", "tokenType", "chargeAmount", "currency", "description",
                "validCardTypes", "language", "method", "confirmation", "requireMatchingInputs");
        List<Prompt> prompts = new ArrayList<>();
        List<Parameter> ps = new ArrayList<>();
        for (XmlNode.Element c : run.content(e, false, "Prompt", "Parameter")) {
            if (c.name.equals("Parameter")) ps.add(run.parameter(c));
            else prompts.add(prompt(run, c));
        }
        return new Pay(a.s("action"), a.method("method", TwimlParser.W_SCHEMA), e.attrs, prompts, ps, e.line);
    }

    /** {@code <Prompt for ...>} with Say, Play and Pause children. */
    private static Prompt prompt(ParseRun run, XmlNode.Element c) {
        run.attributes(c, "for", "for_", "errorType", "cardType", "attempt", "requireMatchingInputs");
        List<Verb> kids = new ArrayList<>();
        for (XmlNode.Element k : run.content(c, false, "Say", "Play", "Pause")) {
            kids.add(switch (k.name) {
                case "Say" -> SayReader.read(run, k, false);
                case "Play" -> PlayReader.read(run, k);
                default -> PauseReader.read(run, k);
            });
        }
        return new Prompt(c.attrs, kids, c.line);
    }
}
