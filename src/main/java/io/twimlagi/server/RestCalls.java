package io.twimlagi.server;

import io.twimlagi.records.CallQuery;
import io.twimlagi.records.CallRecord;
import io.twimlagi.records.Page;
import io.twimlagi.rest.ApiError;
import io.twimlagi.rest.CallUpdate;
import io.twimlagi.rest.CallsBackend;
import io.twimlagi.rest.OutboundRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The Calls resource on this server: records from the call log, new calls through {@link OutboundCalls}, live
 * changes through the call's {@link CallSession} (its walk) or, before it is answered, its {@link OutboundCall}.
 */
final class RestCalls implements CallsBackend {
    private static final Logger log = LoggerFactory.getLogger(RestCalls.class);
    private static final int NOT_IN_PROGRESS = 21220;

    private final Services services;
    private final OutboundCalls outbound;
    private final Originator originator;

    /** {@code originator}: hangs channels up at once (null without the Manager Interface). */
    RestCalls(Services services, OutboundCalls outbound, Originator originator) {
        this.services = services;
        this.outbound = outbound;
        this.originator = originator;
    }

    /** The call as created: {@code queued}, as Twilio answers, even when Asterisk already dials it. */
    @Override
    public CallRecord create(OutboundRequest request) {
        try {
            return outbound.create(request);
        } catch (OutboundCalls.Refused e) {
            throw new ApiError(e.status, e.code, e.getMessage());
        }
    }

    @Override
    public Optional<CallRecord> fetch(String callSid) {
        return services.records().fetchCall(callSid);
    }

    @Override
    public Page<CallRecord> list(CallQuery query, int page, int pageSize) {
        return services.records().listCalls(query, page, pageSize);
    }

    @Override
    public Optional<CallRecord> update(String callSid, CallUpdate update) {
        if (update.fallbackUrl() != null) { // a walk's fallback is its call's, fixed at its start
            throw ApiError.badParameter("FallbackUrl cannot be changed on a call by this server (twiml-agi); "
                    + "leave it out");
        }
        CallSession live = live(callSid);
        OutboundCall placing = live == null ? outbound.get(callSid) : null;
        if (live == null && placing == null) {
            Optional<CallRecord> record = fetch(callSid);
            if (record.isPresent()) {
                throw new ApiError(400, NOT_IN_PROGRESS, "Call is not in-progress. Cannot redirect.");
            }
            return record;
        }
        if (live != null) changeLive(live, update);
        else changePlacing(placing, update);
        services.records().flush(); // the answer shows the change
        return fetch(callSid);
    }

    /**
     * The call's TwiML session: a call in progress, or a REST call whose callee has just answered and whose walk
     * has not started yet (a redirect handed to it then replaces its first document).
     */
    private CallSession live(String callSid) {
        CallSession live = services.liveCalls().get(callSid);
        if (live != null) return live;
        OutboundCall placing = outbound.get(callSid);
        return placing == null ? null : placing.session();
    }

    /** A call running TwiML: redirect its walk, or end it. */
    private void changeLive(CallSession call, CallUpdate update) {
        if ("canceled".equals(update.status()) && call.answered()) throw inProgress();
        if (update.status() != null) {
            log.info("{} REST: ending the call (Status={})", call.callSid(), update.status());
            boolean stopped = call.walk().stop();
            String channel = call.channel();
            // a bridge (Dial, conference) does not stop for the walk: Asterisk hangs the channel up at once
            if (originator != null && channel != null) originator.hangup(channel);
            else if (!stopped) throw new ApiError(400, NOT_IN_PROGRESS, "Call is not in-progress. Cannot redirect.");
            return;
        }
        log.info("{} REST: new TwiML for the live call", call.callSid());
        if (!call.walk().redirect(update.twiml())) {
            throw new ApiError(400, NOT_IN_PROGRESS, "Call is not in-progress. Cannot redirect.");
        }
    }

    /**
     * A REST call still queued or ringing: cancel it, or change the TwiML it runs when answered. Its callee may
     * have answered already (Asterisk said so, its TwiML half is on its way): Status=canceled is then refused, as
     * for any answered call, and Status=completed hangs it up.
     */
    private void changePlacing(OutboundCall call, CallUpdate update) {
        if (update.status() != null) {
            boolean hangUp = "completed".equals(update.status());
            switch (outbound.cancel(call.sid(), hangUp)) {
                case CANCELED -> log.info("{} REST: canceling the call (Status={})", call.sid(), update.status());
                case ANSWERED -> {
                    log.info("{} REST: Status={} on a call its callee answered", call.sid(), update.status());
                    if (!hangUp) throw inProgress();
                    CallSession live = live(call.sid()); // its TwiML half runs now: it ends the call
                    if (live == null) throw notInProgress();
                    changeLive(live, update);
                }
                case OVER -> throw notInProgress();
            }
            return;
        }
        if (!call.replaceTwiml(update.twiml())) {
            CallSession live = live(call.sid()); // answered meanwhile
            if (live == null || !live.walk().redirect(update.twiml())) {
                throw new ApiError(400, NOT_IN_PROGRESS, "Call is not in-progress. Cannot redirect.");
            }
        }
    }

    private static ApiError notInProgress() {
        return new ApiError(400, NOT_IN_PROGRESS, "Call is not in-progress. Cannot redirect.");
    }

    private static ApiError inProgress() {
        return new ApiError(400, NOT_IN_PROGRESS, "Call is in progress: Status=canceled only cancels a queued or "
                + "ringing call (use Status=completed)");
    }
}
