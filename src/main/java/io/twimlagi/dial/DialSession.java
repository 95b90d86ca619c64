package io.twimlagi.dial;

import io.twimlagi.call.AnsweredLeg;
import io.twimlagi.call.Call;
import io.twimlagi.call.DialResult;
import io.twimlagi.engine.CallContext;
import io.twimlagi.sip.SipCapture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code <Dial>} of Numbers, Sips and Clients, and the owner of its legs. Three threads report on a Dial: the
 * caller's (the Dial starts and ends), the answered leg's AGI connection (before the bridge), and Asterisk's SIP
 * capture (a leg rings); each only puts an event on this session's queue, and one thread handles them in order —
 * so a leg's callbacks go out in the order things happened, and nothing is shared between those threads. A
 * sequential Dial makes several attempts (one Asterisk {@code Dial()} each) within one session.
 */
final class DialSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DialSession.class);
    /** Longest an answered leg waits for its turn plus its screening (bounded at 5 minutes itself). */
    private static final long ANSWER_WAIT_SECONDS = 330;

    final String token;
    private final CallContext parent;
    private final List<ChildLeg> legs;
    private final SipCapture capture;
    private final Screener screening;
    private final ExecutorService queue;
    /** The legs of the attempt in progress (indexes into {@link #legs}) and their Dial targets. */
    private List<Integer> attempt = List.of();
    private List<String> targets = List.of();
    /** Legs of this attempt whose creation was reported, and the Call-IDs watched for ringing. */
    private final Set<Integer> created = new HashSet<>();
    private final List<String> watched = new ArrayList<>();
    private volatile Map<String, String> okHeaders = Map.of();
    private volatile boolean screenedOut;

    DialSession(String token, CallContext parent, List<ChildLeg> legs, SipCapture capture, Screener screening) {
        this.token = token;
        this.parent = parent;
        this.legs = List.copyOf(legs);
        this.capture = capture;
        this.screening = screening;
        this.queue = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "dial-" + parent.callSid());
            t.setDaemon(true);
            return t;
        });
    }

    /** The X- headers of the answered leg's 200 OK (empty until one answered). */
    Map<String, String> okHeaders() {
        return okHeaders;
    }

    /** True when a screening said no to the answered leg. */
    boolean screenedOut() {
        return screenedOut;
    }

    /** True when a leg's ringing can be reported as it happens: Asterisk sends us its SIP messages. */
    boolean canWatchRinging() {
        return capture != null && capture.live();
    }

    /** An attempt starts: these legs (indexes) ring, through these Asterisk dial strings. */
    void starting(List<Integer> which, List<String> dialStrings) {
        screenedOut = false; // no leg of this attempt can have answered yet
        List<String> t = dialStrings.stream().map(d -> d.substring(d.indexOf('/') + 1)).toList();
        post(() -> {
            attempt = List.copyOf(which);
            targets = t;
            created.clear();
            for (int i : which) legs.get(i).status("initiated", "initiated", Map.of());
        });
    }

    /**
     * A leg of the attempt was created (before its INVITE): its "ringing" goes when its 180/183 is captured. Waits
     * until the watch is in place: the leg's INVITE waits for this callback, so its 180 cannot come earlier.
     */
    void legCreated(String dialed, String callId) {
        if (capture == null || callId == null || callId.isEmpty()) return;
        try {
            queue.submit(() -> watch(dialed, callId)).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            log.warn("{} a Dial leg to {}: not watched ({}); its ringing is reported when it answers",
                    parent.callSid(), DialTargets.printable(dialed), e.toString());
        }
    }

    private void watch(String dialed, String callId) {
        int i = claim(dialed);
        if (i < 0) {
            log.warn("{} a Dial leg to {} was created but matches no noun; its ringing is reported when it "
                    + "answers", parent.callSid(), DialTargets.printable(dialed));
            return;
        }
        watched.add(callId);
        ChildLeg leg = legs.get(i);
        capture.onRinging(callId, () -> post(() -> leg.status("ringing", "ringing", Map.of())));
    }

    /** The first leg of the attempt dialing {@code target} not reported yet (two nouns may dial the same), or -1. */
    private int claim(String target) {
        for (int k = 0; k < targets.size(); k++) {
            if (targets.get(k).equals(target) && created.add(k)) return attempt.get(k);
        }
        return -1;
    }

    /**
     * A leg answered (on its own AGI thread): keeps its 200 OK headers, reports it, sends its digits and runs its
     * screening; false = do not connect it. Waits for the session's thread to handle it.
     */
    boolean answered(Call callee, AnsweredLeg leg) {
        Future<Boolean> decision;
        try {
            decision = queue.submit(() -> onAnswered(callee, leg));
        } catch (RejectedExecutionException late) {
            return true; // the Dial is over: nothing to add
        }
        try {
            return decision.get(ANSWER_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            log.error("{} answered Dial leg: {}; not connecting it", parent.callSid(), e.toString());
            return false;
        }
    }

    private boolean onAnswered(Call callee, AnsweredLeg leg) {
        okHeaders = leg.okHeaders();
        // the index counts the channels Asterisk created; it is the noun's only when every noun got one
        ChildLeg child = attempt.size() == 1 ? legs.get(attempt.get(0))
                : leg.index() >= 0 && leg.legCount() == attempt.size() ? legs.get(attempt.get(leg.index())) : null;
        if (child == null) {
            log.warn("{} a Dial leg answered but which noun it is is unknown (a leg could not be created); "
                    + "bridged without its screening", parent.callSid());
            return true;
        }
        child.status("ringing", "ringing", Map.of()); // it rang before it answered
        child.status("answered", "in-progress", Map.of());
        ChildLeg.Noun noun = child.noun();
        if (noun.sendDigits() != null) callee.sendDigits(noun.sendDigits()); // before the bridge
        if (noun.url() == null || screening == null) return true;
        boolean connect = screening.screen(child.context(callee, leg.sipCallId(), leg.okHeaders()),
                parent.resolve(noun.url()), noun.method());
        if (!connect) screenedOut = true;
        return connect;
    }

    /** The attempt is over: each leg's ringing (if Asterisk saw a 180/183 and it was not sent) and completion. */
    void attemptEnded(DialResult result, boolean screenedOut) {
        post(() -> {
            List<Integer> which = attempt;
            for (int k = 0; k < which.size(); k++) {
                int code = k < result.legSipCodes().size() ? result.legSipCodes().get(k) : 0;
                ChildLeg leg = legs.get(which.get(k));
                if (code == 180 || code == 183) leg.status("ringing", "ringing", Map.of());
                Map<String, String> end = new LinkedHashMap<>();
                boolean answered = result.answered() && result.legIndex() == k;
                end.put("CallDuration", Integer.toString(answered && !screenedOut ? result.answeredSeconds() : 0));
                if (code >= 200) end.put("SipResponseCode", Integer.toString(code));
                leg.status("completed", DialStatuses.legStatus(result, k, code), end);
            }
            if (capture != null) watched.forEach(capture::stopWatching);
            watched.clear();
        });
    }

    /** Queues an event; one that comes after the Dial is over (a late 180 copy) is dropped. */
    private void post(Runnable event) {
        try {
            queue.execute(event);
        } catch (RejectedExecutionException late) {
            log.debug("{} Dial event after the Dial ended: dropped", parent.callSid());
        }
    }

    /** Handles what is queued (callbacks are only handed to the sender, so this is quick), then stops. */
    @Override
    public void close() {
        queue.shutdown();
        try {
            if (!queue.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("{} Dial session events still running after 5 s", parent.callSid());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
