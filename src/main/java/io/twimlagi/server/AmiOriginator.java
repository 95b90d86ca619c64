package io.twimlagi.server;

import io.twimlagi.agi.DialplanDial;
import io.twimlagi.ami.AmiClient;
import io.twimlagi.ami.AmiException;
import io.twimlagi.ami.Originate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * REST calls placed through Asterisk's Manager Interface: an Originate of {@code Local/<CallSid>@twiml-outbound-dial}
 * that continues at {@code twiml-outbound,<CallSid>,1} once the callee answers (dialplan/twiml.conf). The Local
 * channel's halves get the CallSid as Uniqueid ({@code CA…} and {@code CA….2}), so hangup events name the call and
 * the dialing half can be hung up by it; the Dial's variables travel on the Originate (Asterisk copies them to
 * the ;2 half).
 */
final class AmiOriginator implements Originator {
    private static final Logger log = LoggerFactory.getLogger(AmiOriginator.class);
    static final String DIAL_CONTEXT = "twiml-outbound-dial";
    static final String ANSWERED_CONTEXT = "twiml-outbound";
    /** The global variable [twiml-outbound-dial] checks before it Dials: set when a cancel came too early. */
    static final String CANCELED_PREFIX = "TWIML_CANCELED_";
    /** Q.850 normal clearing: a call ended from the REST API is a normal BYE (or CANCEL while ringing). */
    private static final int NORMAL_CLEARING = 16;
    private static final String PLACEHOLDER_SID = "CA" + "0".repeat(32);

    private final AmiClient ami;
    /** Calls canceled before Asterisk made their dialing half: their global variable is cleared at their end. */
    private final Set<String> earlyCanceled = ConcurrentHashMap.newKeySet();

    AmiOriginator(AmiClient ami) {
        this.ami = ami;
    }

    @Override
    public boolean available() {
        return ami.isConnected();
    }

    @Override
    public void check(Map<String, String> variables) {
        originateOf(PLACEHOLDER_SID, Duration.ofSeconds(1), variables);
    }

    static Originate originateOf(String callSid, Duration answerWithin, Map<String, String> variables) {
        Originate o = Originate.toExtension("Local/" + callSid + "@" + DIAL_CONTEXT, ANSWERED_CONTEXT, callSid, 1)
                .withTimeout(answerWithin)
                .withChannelIds(callSid, dialingHalf(callSid));
        for (Map.Entry<String, String> v : variables.entrySet()) {
            o = o.withVariableParts(v.getKey(), v.getValue(), DialplanDial.VALUE_PARTS);
        }
        return o;
    }

    @Override
    public boolean refused(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        return t instanceof AmiException e && e.reason() == AmiException.Reason.REFUSED;
    }

    /** The Uniqueid of the Local channel's ;2 half, which runs the Dial. */
    static String dialingHalf(String callSid) {
        return callSid + ".2";
    }

    @Override
    public CompletableFuture<Boolean> originate(String callSid, Duration answerWithin,
                                                Map<String, String> variables) {
        // an unanswered call is a normal end (the dialing half reports how); only a refused Originate fails here
        return ami.originate(originateOf(callSid, answerWithin, variables)).thenApply(result -> result.success());
    }

    /**
     * Hangs up the dialing half by its Uniqueid. None yet (the Originate is still on its way): the global flag
     * first, then the hangup once more; so either the dialplan sees the flag before its Dial, or the channel
     * existed before the flag was set and this second hangup finds it.
     */
    @Override
    public void cancel(String callSid) {
        cancel(callSid, this::hangupById, sid -> {
            earlyCanceled.add(sid);
            try {
                ami.setGlobalVar(CANCELED_PREFIX + sid, "1");
            } catch (AmiException e) {
                log.warn("{} cancel: cannot flag it for the dialplan: {}", sid, e.getMessage());
            }
        });
    }

    /** The order of a cancel: {@code hangup} (true: done) by Uniqueid; else {@code flag}, then the hangup again. */
    static void cancel(String callSid, Predicate<String> hangup, Consumer<String> flag) {
        String half = dialingHalf(callSid);
        if (hangup.test(half)) return;
        flag.accept(callSid);
        hangup.test(half);
    }

    @Override
    public void ended(String callSid) {
        if (!earlyCanceled.remove(callSid)) return;
        try {
            ami.setGlobalVar(CANCELED_PREFIX + callSid, "");
        } catch (AmiException e) {
            log.info("{} clearing its cancel flag: {}", callSid, e.getMessage());
        }
    }

    private boolean hangupById(String uniqueId) {
        try {
            ami.hangupUniqueId(uniqueId, NORMAL_CLEARING);
            return true;
        } catch (AmiException e) {
            log.debug("hangup of {} through AMI: {}", uniqueId, e.getMessage());
            return false;
        }
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
