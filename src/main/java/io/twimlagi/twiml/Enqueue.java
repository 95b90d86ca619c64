package io.twimlagi.twiml;

import java.util.Map;

/**
 * {@code <Enqueue>}. queueName = queue name (body text). action null = next verb; method POST; waitUrl null = Twilio's
 * default playlist ("" = silence); waitUrlMethod POST; attributes = all attributes as written.
 */
public record Enqueue(String queueName, String action, HttpMethod method, String waitUrl, HttpMethod waitUrlMethod,
                      String workflowSid, Integer maxQueueSize, Task task, Map<String, String> attributes, int line)
        implements Verb {
    public Enqueue {
        attributes = Imm.map(attributes);
    }

    @Override public String name() { return "Enqueue"; }

    @Override public <R> R accept(VerbVisitor<R> visitor) { return visitor.visitEnqueue(this); }
}
