package io.twimlagi.twiml;

import java.util.List;
import java.util.Map;

/** {@code <Pay>} (PCI payments, not executed by this engine): action/method typed, all attributes kept. */
public record Pay(String action, HttpMethod method, Map<String, String> attributes, List<Prompt> prompts,
                  List<Parameter> parameters, int line) implements Verb {
    public Pay {
        attributes = Imm.map(attributes);
        prompts = List.copyOf(prompts);
        parameters = List.copyOf(parameters);
    }

    @Override public String name() { return "Pay"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitPay(this); }
}
