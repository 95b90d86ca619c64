package io.twimlagi.ami;

import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.response.ManagerError;

import java.io.IOException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Originates in flight: sends one as an asynchronous AMI Originate and completes its future from Asterisk's
 * answer: the refusal, or the {@code OriginateResponse} event (for a failure, together with the hangup event of the
 * channel it made), or the session's end, or nothing within the ringing timeout plus the action timeout.
 */
final class Originations {
    /** How long a failed Originate's result waits for its channel's hangup event (none when no channel was made). */
    private static final long FAILED_CHANNEL_WAIT_MS = 1000;

    private final AmiConnector connector;
    private final HangupEvents hangups;
    private final AmiTiming timing;
    private final ScheduledExecutorService timer;
    /** The client's threads: futures complete there, never on asterisk-java's. */
    private final Executor complete;
    private final Set<CompletableFuture<OriginateResult>> pending = ConcurrentHashMap.newKeySet();

    Originations(AmiConnector connector, HangupEvents hangups, AmiTiming timing, ScheduledExecutorService timer,
                 Executor complete) {
        this.connector = connector;
        this.hangups = hangups;
        this.timing = timing;
        this.timer = timer;
        this.complete = complete;
    }

    /**
     * Sends {@code o}, with a generated Uniqueid when it fixes none: a failure is then matched with its channel's
     * hangup event (Asterisk 22 says Reason 0 for a PJSIP 486; the hangup says cause 17, SIP 486).
     */
    CompletableFuture<OriginateResult> start(Originate o) {
        CompletableFuture<OriginateResult> result = new CompletableFuture<>();
        String what = "Originate of " + o.channel();
        if (!connector.isConnected()) {
            result.completeExceptionally(connector.notConnected(what));
            return result;
        }
        Originate sent = o.channelId() != null ? o : o.withChannelIds("twiml-" + UUID.randomUUID(), null);
        long bound = o.timeout().toMillis() + timing.actionTimeout().toMillis();
        ScheduledFuture<?> deadline;
        try {
            deadline = timer.schedule(() -> fail(result, new AmiException(AmiException.Reason.TIMEOUT, what
                    + ": no OriginateResponse from Asterisk within " + bound + " ms")), bound, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(connector.notConnected(what)); // closed meanwhile
            return result;
        }
        CompletableFuture<HangupInfo> channelEnd = new CompletableFuture<>();
        Subscription ending = hangups.subscribe(sent.channelId(), channelEnd::complete);
        pending.add(result);
        result.whenComplete((r, e) -> {
            deadline.cancel(false);
            ending.close();
            pending.remove(result);
        });
        try {
            connector.connection().sendEventGeneratingAction(action(sent),
                    events -> answered(what, events, channelEnd, result));
        } catch (IOException | IllegalStateException e) {
            fail(result, connector.notConnected(what));
        }
        return result;
    }

    static OriginateAction action(Originate o) {
        OriginateAction a = new OriginateAction();
        a.setChannel(o.channel());
        if (o.application() != null) {
            a.setApplication(o.application());
            a.setData(o.data());
        } else {
            a.setContext(o.context());
            a.setExten(o.exten());
            a.setPriority(o.priority());
        }
        a.setTimeout(o.timeout().toMillis());
        if (o.callerId() != null) a.setCallerId(o.callerId());
        if (!o.variables().isEmpty()) a.setVariables(o.wireVariables());
        if (o.channelId() != null) a.setChannelId(o.channelId());
        if (o.otherChannelId() != null) a.setOtherChannelId(o.otherChannelId());
        a.setAsync(true);
        return a;
    }

    /**
     * asterisk-java's callback (its thread): the refusal, the OriginateResponse, or the session's end. A failed
     * channel's hangup event normally came just before the OriginateResponse; it is waited for a little.
     */
    private void answered(String what, ResponseEvents events, CompletableFuture<HangupInfo> channelEnd,
                          CompletableFuture<OriginateResult> result) {
        if (events.getResponse() instanceof ManagerError error) {
            fail(result, AmiClient.refused(what, error));
            return;
        }
        OriginateResponseEvent done = events.getEvents().stream().filter(OriginateResponseEvent.class::isInstance)
                .map(OriginateResponseEvent.class::cast).findFirst().orElse(null);
        if (done == null) {
            fail(result, new AmiException(AmiException.Reason.NOT_CONNECTED,
                    what + ": AMI connection lost before Asterisk's OriginateResponse"));
            return;
        }
        boolean success = "Success".equalsIgnoreCase(done.getResponse());
        OriginateReason reason = OriginateReason.of(done.getReason());
        String uniqueId = done.getUniqueId();
        String id = uniqueId == null || uniqueId.isEmpty() || uniqueId.equals("<unknown>") ? null : uniqueId;
        if (success) {
            complete.execute(() -> result.complete(new OriginateResult(true, reason, done.getChannel(), id, null)));
        } else {
            channelEnd.completeOnTimeout(null, FAILED_CHANNEL_WAIT_MS, TimeUnit.MILLISECONDS).thenAccept(h ->
                    complete.execute(() -> result.complete(new OriginateResult(false, reason, done.getChannel(), id,
                            h))));
        }
    }

    private void fail(CompletableFuture<OriginateResult> result, AmiException e) {
        complete.execute(() -> result.completeExceptionally(e));
    }

    /** The client is closing: every Originate still waiting fails with {@code e}. */
    void failAll(AmiException e) {
        for (CompletableFuture<OriginateResult> f : Set.copyOf(pending)) f.completeExceptionally(e);
    }
}
