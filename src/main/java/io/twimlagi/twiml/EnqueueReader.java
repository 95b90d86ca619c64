package io.twimlagi.twiml;

/** Reads {@code <Enqueue>} with its optional {@code <Task>}. */
final class EnqueueReader {
    private EnqueueReader() {}

    static Enqueue read(ParseRun run, XmlNode.Element e) {
        Attributes a = run.attributes(e, "action", "method", "waitUrl", "waitUrlMethod", "workflowSid",
                "maxQueueSize");
        Task task = null;
        for (XmlNode.Element c : run.content(e, true, "Task")) task = task(run, c);
        String name = e.text();
        if (name.isEmpty() && task == null) run.warn(e.line, TwimlParser.W_SCHEMA, "<Enqueue> has no queue name");
        if (name.length() > 64) run.warn(e.line, TwimlParser.W_SCHEMA, "queue name longer than 64 characters");
        return new Enqueue(name, a.s("action"), a.method("method", TwimlParser.W_SCHEMA), a.s("waitUrl"),
                a.method("waitUrlMethod", TwimlParser.W_SCHEMA), a.s("workflowSid"),
                a.optInt("maxQueueSize", 1, Integer.MAX_VALUE, TwimlParser.W_SCHEMA), task, e.attrs, e.line);
    }

    /** {@code <Task priority timeout>json</Task>}. */
    private static Task task(ParseRun run, XmlNode.Element c) {
        Attributes ta = run.attributes(c, "priority", "timeout");
        run.content(c, true);
        return new Task(c.text(), ta.optInt("priority", 0, Integer.MAX_VALUE, TwimlParser.W_SCHEMA),
                ta.optInt("timeout", 0, Integer.MAX_VALUE, TwimlParser.W_SCHEMA), c.line);
    }
}
