package io.twimlagi.ami;

import io.twimlagi.config.Ami;
import org.asteriskjava.manager.DefaultManagerConnection;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.TimeoutException;
import org.asteriskjava.manager.action.CommandAction;
import org.asteriskjava.manager.action.ConfbridgeKickAction;
import org.asteriskjava.manager.action.ConfbridgeMuteAction;
import org.asteriskjava.manager.action.ConfbridgeUnmuteAction;
import org.asteriskjava.manager.action.GetVarAction;
import org.asteriskjava.manager.action.HangupAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.response.CommandResponse;
import org.asteriskjava.manager.response.GetVarResponse;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The server's AMI client: one login to Asterisk's manager ({@code ami_*} keys), kept up in the background
 * ({@link AmiConnector}: never blocks or fails the server's start; reconnects after Asterisk restarts), the actions
 * the server needs, and hangup events by Uniqueid.
 *
 * <p>Every action checks its values first ({@link IllegalArgumentException} for a control character, an empty or
 * misshapen name: nothing is sent), then fails with an {@link AmiException} when AMI is not connected (at once),
 * when Asterisk refuses it (its message), or when no answer comes within the action timeout (5 s). The synchronous
 * actions block the calling thread for at most that long. Listeners and futures complete on the client's own
 * threads, never on asterisk-java's reader thread.
 */
public final class AmiClient implements AutoCloseable {
    private static final int EVENT_THREADS = 2;
    private static final Set<String> CONFBRIDGE_KEYWORDS = Set.of("all", "participants");

    private final AmiConnector connector;
    private final AmiTiming timing;
    private final ThreadPoolExecutor executor;
    private final ScheduledExecutorService timer;
    private final HangupEvents hangups;
    private final Originations originations;

    private AmiClient(Ami settings, AmiTiming timing) {
        this.timing = timing;
        executor = new ThreadPoolExecutor(EVENT_THREADS, EVENT_THREADS, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemons("ami-events"));
        ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, daemons("ami-timer"));
        deadlines.setRemoveOnCancelPolicy(true); // one deadline per originate: cancelled ones must not pile up
        timer = deadlines;
        hangups = new HangupEvents(executor);
        connector = new AmiConnector(() -> newConnection(settings), settings.host() + ":" + settings.port()
                + " as " + settings.username(), timing);
        originations = new Originations(connector, hangups, timing, timer, this::runOnExecutor);
    }

    /**
     * asterisk-java's connection, made on the connector's thread: its first use scans the class path for event
     * classes (a few hundred ms the server's start need not wait for).
     */
    private ManagerConnection newConnection(Ami settings) {
        DefaultManagerConnection c = new DefaultManagerConnection(settings.host(), settings.port(),
                settings.username(), settings.secret());
        long ms = timing.actionTimeout().toMillis();
        c.setDefaultResponseTimeout(ms);
        c.setDefaultEventTimeout(ms);
        c.setSocketTimeout((int) ms);
        c.registerUserEventClass(AmiEvents.Hangup.class);
        c.registerUserEventClass(AmiEvents.HangupRequest.class);
        c.addEventListener(this::onEvent);
        return c;
    }

    /** Starts connecting in the background and returns at once. */
    public static AmiClient start(Ami settings) {
        return start(settings, AmiTiming.DEFAULT);
    }

    static AmiClient start(Ami settings, AmiTiming timing) {
        AmiClient client = new AmiClient(Objects.requireNonNull(settings, "settings"), timing);
        client.connector.start();
        return client;
    }

    /** Logged in to Asterisk now. */
    public boolean isConnected() {
        return connector.isConnected();
    }

    // ------------------------------------------------------------------------------------------------ actions

    /**
     * Sends an asynchronous Originate. The future completes when Asterisk reports how it ended (answered, or not:
     * an {@link OriginateResult} either way), or exceptionally with an {@link AmiException}: not connected, refused
     * (e.g. "Extension does not exist.", "Originate Access Forbidden: ..."), the connection lost before the answer,
     * or no answer within the ringing timeout plus the action timeout.
     *
     * <p>The new channel always gets a known Uniqueid (a generated one when {@code o} fixes none), so a failure also
     * says how the channel ended ({@link OriginateResult#hangup()}: cause 17 and SIP 486 for a busy callee), which
     * Asterisk 22's Reason does not for PJSIP (it is 0 then).
     */
    public CompletableFuture<OriginateResult> originate(Originate o) {
        return originations.start(Objects.requireNonNull(o, "o"));
    }

    /**
     * Hangs {@code channel} up with Q.850 {@code cause} (1..127, e.g. 16 normal clearing, 17 busy; 0 = keep the
     * channel's own). A channel in AGI ends when the AGI script returns.
     */
    public void hangup(String channel, int cause) throws AmiException {
        AmiText.channel("channel", channel);
        if (cause < 0 || cause > 127) throw new IllegalArgumentException("cause must be 0..127: " + cause);
        send(cause == 0 ? new HangupAction(channel) : new HangupAction(channel, cause), "Hangup of " + channel);
    }

    /**
     * Hangs up the channel whose Uniqueid is {@code uniqueId} (one fixed by an Originate, {@link
     * Originate#withChannelIds}): Asterisk's Hangup looks a channel up by name, then by Uniqueid. Refused with
     * "No such channel" when there is none (not yet made, or gone).
     */
    public void hangupUniqueId(String uniqueId, int cause) throws AmiException {
        AmiText.uniqueId("uniqueId", Objects.requireNonNull(uniqueId, "uniqueId")); // never a /regex/
        if (cause < 1 || cause > 127) throw new IllegalArgumentException("cause must be 1..127: " + cause);
        send(new HangupAction(uniqueId, cause), "Hangup of " + uniqueId);
    }

    /**
     * Sets a global variable (Setvar without a channel); the dialplan reads it as {@code ${NAME}} wherever no
     * channel variable of that name hides it. An empty value leaves it empty (Asterisk keeps the name).
     */
    public void setGlobalVar(String name, String value) throws AmiException {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]{0,79}")) {
            throw new IllegalArgumentException("global variable name is not NAME: " + AmiText.shown(name));
        }
        AmiText.plain("value", Objects.requireNonNull(value, "value"));
        send(new SetVarAction(name, value), "Setvar of global " + name);
    }

    /**
     * Sends {@code channel} to {@code context,exten,priority}, ending the application it runs. A channel in AGI only
     * moves once the AGI script returns: Asterisk 22's res_agi reports the redirect to the script as a hangup (read
     * from its source, not tested here).
     */
    public void redirect(String channel, String context, String exten, int priority) throws AmiException {
        AmiText.channel("channel", channel);
        DialplanLocation to = new DialplanLocation(context, exten, priority);
        send(new RedirectAction(channel, to.context(), to.exten(), to.priority()), "Redirect of " + channel);
    }

    /** Redirects two channels at once (e.g. both sides of a bridge, which would otherwise hang up the other). */
    public void redirect(String channel, DialplanLocation to, String extraChannel, DialplanLocation extraTo)
            throws AmiException {
        AmiText.channel("channel", channel);
        AmiText.channel("extraChannel", extraChannel);
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(extraTo, "extraTo");
        if (channel.equalsIgnoreCase(extraChannel)) {
            throw new IllegalArgumentException("channel and extraChannel are the same: " + channel);
        }
        send(new RedirectAction(channel, extraChannel, to.context(), to.exten(), to.priority(), extraTo.context(),
                extraTo.exten(), extraTo.priority()), "Redirect of " + channel + " and " + extraChannel);
    }

    /**
     * A channel variable, or a dialplan function read on the channel ({@code CHANNEL(state)},
     * {@code HANGUPCAUSE(PJSIP/x-00000001,tech)}); "" when unset (AMI does not tell unset from empty).
     */
    public String getVar(String channel, String name) throws AmiException {
        AmiText.channel("channel", channel);
        AmiText.required("variable name", name, 255);
        ManagerResponse r = send(new GetVarAction(channel, name), "Getvar " + name + " of " + channel);
        String value = r instanceof GetVarResponse v ? v.getValue() : r.getAttribute("value");
        return value == null ? "" : value;
    }

    /** Sets a channel variable (or writes a function, {@code NAME(args)}) on {@code channel}. */
    public void setVar(String channel, String name, String value) throws AmiException {
        AmiText.channel("channel", channel);
        AmiText.variable(name);
        AmiText.plain("value", Objects.requireNonNull(value, "value"));
        send(new SetVarAction(channel, name, value), "Setvar " + name + " on " + channel);
    }

    /** Removes {@code channel} from ConfBridge {@code conference}. */
    public void confbridgeKick(String conference, String channel) throws AmiException {
        AmiText.required("conference", conference, 255);
        confbridgeChannel(channel);
        send(new ConfbridgeKickAction(conference, channel), "ConfbridgeKick of " + channel + " from " + conference);
    }

    /**
     * Mutes or unmutes {@code channel} in ConfBridge {@code conference}. Asterisk matches the name as a prefix
     * (case-insensitive): pass the full channel name.
     */
    public void confbridgeMute(String conference, String channel, boolean muted) throws AmiException {
        AmiText.required("conference", conference, 255);
        confbridgeChannel(channel);
        send(muted ? new ConfbridgeMuteAction(conference, channel) : new ConfbridgeUnmuteAction(conference, channel),
                (muted ? "ConfbridgeMute of " : "ConfbridgeUnmute of ") + channel + " in " + conference);
    }

    /** One channel only: Asterisk reads "all" and "participants" as everyone. */
    private static void confbridgeChannel(String channel) {
        AmiText.channel("channel", channel);
        if (CONFBRIDGE_KEYWORDS.contains(channel.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("channel must name one channel, not " + channel);
        }
    }

    /**
     * Runs an Asterisk CLI command and returns its output lines joined by newlines (leading spaces trimmed by
     * asterisk-java). For diagnostics and tests: it needs the {@code command} permission, which the server's
     * own AMI user must not have.
     */
    public String command(String cliCommand) throws AmiException {
        AmiText.required("command", cliCommand, 1024);
        ManagerResponse r = send(new CommandAction(cliCommand), "Command '" + cliCommand + "'");
        return r instanceof CommandResponse c && c.getResult() != null ? String.join("\n", c.getResult()) : "";
    }

    private ManagerResponse send(ManagerAction action, String what) throws AmiException {
        if (!isConnected()) throw notConnected(what);
        long ms = timing.actionTimeout().toMillis();
        ManagerResponse r;
        try {
            r = connector.connection().sendAction(action, ms);
        } catch (TimeoutException e) {
            // asterisk-java also ends a wait this way when the connection drops
            if (!isConnected()) throw notConnected(what);
            throw new AmiException(AmiException.Reason.TIMEOUT, what + ": no answer from Asterisk within " + ms
                    + " ms", e);
        } catch (IOException | IllegalStateException e) {
            throw notConnected(what);
        }
        if (r == null) {
            throw new AmiException(AmiException.Reason.TIMEOUT, what + ": interrupted waiting for Asterisk's answer");
        }
        if (r instanceof ManagerError error) throw refused(what, error);
        return r;
    }

    private AmiException notConnected(String what) {
        return connector.notConnected(what);
    }

    static AmiException refused(String what, ManagerError error) {
        return new AmiException(AmiException.Reason.REFUSED, what + " refused by Asterisk: " + error.getMessage());
    }

    // ------------------------------------------------------------------------------------------------ events

    /**
     * Calls {@code listener} once, on the client's thread, when the channel with this Uniqueid hangs up, or at once
     * if that happened within the last few thousand hangups. Close the subscription when no longer interested; after
     * it fired there is nothing left to close.
     *
     * <p>"Hangs up" is the first of Asterisk's HangupRequest (the far end's BYE or CANCEL, a failed INVITE: at once,
     * also while the channel is still in AGI, long before it is gone) and Hangup (the channel is gone). A hangup
     * asked for inside Asterisk (the Hangup() application, AGI's HANGUP, a ConfBridge kick, an AMI Hangup, CLI
     * {@code channel request hangup}) is reported by the Hangup event, with its real cause: Asterisk's
     * SoftHangupRequest event only carries an internal flag. For a channel in AGI that event comes when the AGI
     * script returns.
     */
    public Subscription onHangup(String uniqueId, Consumer<HangupInfo> listener) {
        AmiText.uniqueId("uniqueId", Objects.requireNonNull(uniqueId, "uniqueId"));
        return hangups.subscribe(uniqueId, Objects.requireNonNull(listener, "listener"));
    }

    /** Subscriptions waiting (not fired, not closed). */
    int waitingSubscriptions() {
        return hangups.waiting();
    }

    /** asterisk-java's event thread: hand everything over at once. */
    private void onEvent(ManagerEvent event) {
        if (event instanceof DisconnectEvent) {
            connector.connectionLost();
        } else if (event instanceof AmiEvents.HangupRequest e) {
            int cause = e.getCause() == null ? 0 : e.getCause();
            hangups.hungUp(info(e.getUniqueId(), e.getChannel(), cause, HangupCauses.text(cause), e.getTechCause()));
        } else if (event instanceof AmiEvents.Hangup e) {
            int cause = e.getCause() == null ? 0 : e.getCause();
            String text = e.getCauseTxt() == null ? HangupCauses.text(cause) : e.getCauseTxt();
            hangups.hungUp(info(e.getUniqueId(), e.getChannel(), cause, text, e.getTechCause()));
        }
    }

    private static HangupInfo info(String uniqueId, String channel, int cause, String text, Integer techCause) {
        return new HangupInfo(uniqueId, channel, cause, text, techCause == null ? 0 : techCause);
    }

    // ------------------------------------------------------------------------------------------------ threads

    private void runOnExecutor(Runnable r) {
        try {
            executor.execute(r);
        } catch (RejectedExecutionException closed) {
            r.run();
        }
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory base = Executors.defaultThreadFactory();
        return r -> {
            Thread t = base.newThread(r);
            t.setName(name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Logs off, stops reconnecting; originates still waiting fail with NOT_CONNECTED. */
    @Override
    public void close() {
        connector.close();
        timer.shutdownNow();
        executor.shutdown();
        originations.failAll(new AmiException(AmiException.Reason.NOT_CONNECTED, "AMI client closed"));
    }
}
