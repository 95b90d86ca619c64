package io.twimlagi.verbs;

import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.sip.RejectCodes;
import io.twimlagi.twiml.Reject;

/**
 * {@code <Reject>}: before answer, the SIP final response Twilio's SIP domains send (busy → 486, rejected → 404)
 * and nothing else; after answer it simply ends the call.
 */
public final class RejectExecutor implements VerbExecutor<Reject> {
    @Override
    public Outcome execute(Reject reject, CallContext ctx) {
        if (ctx.call().isAnswered()) {
            ctx.call().hangup();
        } else {
            RejectCodes code = reject.reason() == Reject.Reason.BUSY ? RejectCodes.BUSY : RejectCodes.REJECTED;
            ctx.progress().rejected(code.sipCode);
            ctx.call().reject(code.sipCode);
        }
        return Outcome.END;
    }
}
