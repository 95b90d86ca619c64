package io.twimlagi.queue;

import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.twiml.Leave;
import io.twimlagi.verbs.VerbExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <Leave>} outside a queue's wait document: there is no queue to leave, so it is logged and the next verb
 * runs. (In a wait document it never gets here: the wait's policy ends the wait there, see {@link QueueCaller}.)
 */
public final class LeaveExecutor implements VerbExecutor<Leave> {
    private static final Logger log = LoggerFactory.getLogger(LeaveExecutor.class);

    @Override
    public Outcome execute(Leave leave, CallContext ctx) {
        log.warn("{} <Leave> (line {}) outside an Enqueue's waitUrl document: the call is in no queue; ignored",
                ctx.callSid(), leave.line());
        return Outcome.NEXT;
    }
}
