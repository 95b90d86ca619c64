package io.twimlagi.engine;

import io.twimlagi.twiml.Hangup;
import io.twimlagi.twiml.Redirect;
import io.twimlagi.twiml.Reject;
import io.twimlagi.twiml.Verb;
import io.twimlagi.util.Redaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/** Runs one verb of a walk; the walker itself knows nothing of what verbs do. */
@FunctionalInterface
public interface VerbRunner {
    Outcome run(Verb verb, CallContext ctx);

    /**
     * Runs verbs on the call through their executors, the way a call's own TwiML runs: Twilio's answer rule first,
     * the verb shown to the operator ({@code core show channel}) when it takes time, one log line, the call's
     * progress.
     */
    static VerbRunner onCall(VerbDispatch dispatch) {
        Logger log = LoggerFactory.getLogger(VerbRunner.class);
        return (verb, ctx) -> {
            if (AnswerRule.answers(verb) && dispatch.supports(verb)) ctx.call().answer();
            if (!(verb instanceof Reject || verb instanceof Redirect || verb instanceof Hangup)) {
                Map<String, String> vars = new LinkedHashMap<>();
                vars.put("TWIML_CALLSID", ctx.callSid());
                vars.put("TWIML_URL", Redaction.redact(ctx.documentUrl())); // Asterisk logs and shows it
                vars.put("TWIML_VERB", verb.name());
                ctx.call().annotate(vars);
            }
            log.info("{} verb {} (line {})", ctx.callSid(), verb.name(), verb.line());
            ctx.progress().verb(verb.name());
            return dispatch.execute(verb, ctx);
        };
    }
}
