package io.twimlagi.server;

import io.twimlagi.ami.AmiClient;
import io.twimlagi.ami.AmiException;
import io.twimlagi.ami.Originate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * REST calls placed through Asterisk's Manager Interface: an Originate of {@code Local/<CallSid>@twiml-outbound-dial}
 * that continues at {@code twiml-outbound,<CallSid>,1} once the callee answers (dialplan/twiml.conf). The Local
 * channel's halves get the CallSid as Uniqueid ({@code CA…} and {@code CA….2}), so hangup events name the call.
 */
final class AmiOriginator implements Originator {
    private static final Logger log = LoggerFactory.getLogger(AmiOriginator.class);
    static final String DIAL_CONTEXT = "twiml-outbound-dial";
    static final String ANSWERED_CONTEXT = "twiml-outbound";
    /** Q.850 normal clearing: a call ended from the REST API is a normal BYE (or CANCEL while ringing). */
    private static final int NORMAL_CLEARING = 16;

    private final AmiClient ami;

    AmiOriginator(AmiClient ami) {
        this.ami = ami;
    }

    @Override
    public boolean available() {
        return ami.isConnected();
    }

    @Override
    public CompletableFuture<Void> originate(String callSid, Duration answerWithin) {
        Originate o = Originate.toExtension("Local/" + callSid + "@" + DIAL_CONTEXT, ANSWERED_CONTEXT, callSid, 1)
                .withTimeout(answerWithin)
                .withChannelIds(callSid, callSid + ".2");
        // an unanswered call is a normal end: the Dial half reports it; only a refused Originate fails here
        return ami.originate(o).thenApply(result -> (Void) null);
    }

    @Override
    public boolean hangup(String channel) {
        try {
            ami.hangup(channel, NORMAL_CLEARING);
            return true;
        } catch (AmiException e) {
            log.info("hangup of {} through AMI: {}", channel, e.getMessage());
            return false;
        }
    }
}
