package io.twimlagi.agi;

import io.twimlagi.call.AudioLink;
import io.twimlagi.call.AudioLinkEnd;
import io.twimlagi.call.Call;
import io.twimlagi.call.CallGoneException;
import io.twimlagi.call.CallInterrupted;
import io.twimlagi.call.ChannelId;
import io.twimlagi.call.ConferenceRequest;
import io.twimlagi.call.ConferenceResult;
import io.twimlagi.call.DialRecording;
import io.twimlagi.call.DialRequest;
import io.twimlagi.call.DialResult;
import io.twimlagi.call.Recorded.RecordEnd;
import io.twimlagi.call.Recorded;
import io.twimlagi.call.TransferResult;
import io.twimlagi.call.TransferStatus;
import io.twimlagi.sip.RejectCodes;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.AnswerCommand;
import org.asteriskjava.fastagi.command.ChannelStatusCommand;
import org.asteriskjava.fastagi.command.ExecCommand;
import org.asteriskjava.fastagi.command.GetFullVariableCommand;
import org.asteriskjava.fastagi.command.HangupCommand;
import org.asteriskjava.fastagi.command.RecordFileCommand;
import org.asteriskjava.fastagi.command.SetMusicOffCommand;
import org.asteriskjava.fastagi.command.SetMusicOnCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.asteriskjava.fastagi.command.StreamFileCommand;
import org.asteriskjava.fastagi.command.WaitForDigitCommand;
import org.asteriskjava.fastagi.reply.AgiReply;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link Call} over FastAGI: the only class that writes AGI commands. Every argument passes {@link AgiText}.
 * A caller's hangup shows as 511 (dead channel), EOF, or {@code result=-1}; all become {@link CallGoneException}.
 */
public final class AgiCall implements Call {
    /**
     * The characters {@link #annotate} sets in all, shared by its values: escaped twice (Asterisk's argument parser,
     * then the AGI line) a character takes at most 4 bytes, so the MSet always fits in one line.
     */
    static final int MAX_ANNOTATION_CHARS = 1500;
    private final AgiChannel channel;
    private final BridgeBreaker breaker;
    /** The script's dialplan hangs an answered channel up as soon as the script returns (dialplan/twiml.conf). */
    private final boolean hangsUpOnReturn;
    /** {@link #hangup()} left the hangup to the dialplan; sent after all if a command must still run. */
    private boolean hangupOnReturn;
    private boolean answered;
    private Runnable onAnswer = () -> { };
    private volatile boolean gone;
    /** Set by {@link #interrupt()} from another thread, cleared by the call's. */
    private volatile boolean interrupted;
    /** The Dial or ConfBridge the call is in, for {@link #interrupt()}; null outside one. */
    private volatile BridgeBreaker.App inBridge;
    /** The Media Stream link the call's audio runs on ({@link #linkAudio}), for {@link #interrupt()}; or null. */
    private volatile AudioLink inLink;

    /** A channel whose bridges {@link #interrupt()} cannot end (Dial legs, tests). */
    public AgiCall(AgiChannel channel) {
        this(channel, BridgeBreaker.NONE);
    }

    public AgiCall(AgiChannel channel, BridgeBreaker breaker) {
        this(channel, breaker, false);
    }

    private AgiCall(AgiChannel channel, BridgeBreaker breaker, boolean hangsUpOnReturn) {
        this.channel = channel;
        this.breaker = breaker;
        this.hangsUpOnReturn = hangsUpOnReturn;
    }

    /**
     * A call whose dialplan runs {@code Hangup()} on an answered channel as soon as the AGI returns (the
     * {@code twiml} and {@code twiml-outbound} scripts): {@link #hangup()} of an answered call sends no HANGUP, the
     * script's return ends the call (one AGI round trip fewer per call). Never for a Dial leg's scripts, whose
     * dialplan goes on to bridge the leg.
     */
    static AgiCall hangingUpOnReturn(AgiChannel channel, BridgeBreaker breaker) {
        return new AgiCall(channel, breaker, true);
    }

    @Override
    public void answer() {
        if (answered) return;
        if (send(new AnswerCommand()).getResultCode() < 0) goneNow();
        markAnswered();
    }

    @Override
    public void onAnswer(Runnable listener) {
        this.onAnswer = listener;
    }

    private void markAnswered() {
        if (answered) return;
        answered = true;
        onAnswer.run();
    }

    /** For a channel answered before we got it (a Dial leg): no ANSWER command, no answer listener. */
    void markAnsweredQuietly() {
        answered = true;
    }

    @Override
    public boolean isAnswered() {
        return answered;
    }

    @Override
    public char play(String asteriskPath, String stopKeys) {
        AgiReply r = sendMedia(new StreamFileCommand(AgiText.clean(asteriskPath), AgiText.clean(stopKeys)));
        if (r.getResultCode() < 0) {
            // -1 is both "hung up" and "file missing": ask the channel which
            probeAlive();
            throw new IllegalStateException("Asterisk could not play " + asteriskPath);
        }
        return r.getResultCode() == 0 ? 0 : (char) r.getResultCode();
    }

    @Override
    public void startCallRecording(DialRecording recording) {
        exec("MixMonitor", AgiDialer.mixMonitorArgs(recording)); // a hangup: CallGoneException
    }

    @Override
    public boolean stopCallRecording() {
        hangUpNowIfLeftToDialplan(); // the recording ends with the call, as when the HANGUP was sent at once
        // allowed on a hung-up channel too; its reply comes once the file is closed (app_mixmonitor)
        return new BlockingAppSession(channel).exec("StopMixMonitor", "") != null;
    }

    @Override
    public void sendDigits(String digits) {
        exec("SendDTMF", AgiText.appArg(digits));
    }

    /**
     * WAIT FOR DIGIT until the time is up, keys ignored (a key starts a wait for the time left): unlike EXEC Wait it
     * can be interrupted (see
     * {@link TwimlAgiChannel}); like Wait it drops the caller's DTMF and leaves an unanswered call ringing.
     */
    @Override
    public void pause(Duration length) {
        long end = System.nanoTime() + Math.max(0, length.toNanos());
        for (Duration left = length; left.toMillis() >= 1; left = Duration.ofNanos(end - System.nanoTime())) {
            if (waitForDigit(left) == 0) return; // Asterisk's timeout: the time is up (a key only cut it short)
        }
    }

    /**
     * SET MUSIC ON starts the class as the channel's generator, which WAIT FOR DIGIT keeps feeding (so the wait stays
     * interruptible); SET MUSIC OFF afterwards, also when interrupted.
     */
    @Override
    public void holdMusic(String mohClass, Duration length) {
        if (mohClass == null || !mohClass.matches("[A-Za-z0-9_.-]{1,80}")) {
            throw new IllegalArgumentException("bad music-on-hold class " + mohClass);
        }
        if (interrupted) throw new CallInterrupted();
        send(new SetMusicOnCommand(mohClass));
        try {
            pause(length);
        } finally {
            if (!gone) send(new SetMusicOffCommand());
        }
    }

    @Override
    public char waitForDigit(Duration timeout) {
        AgiReply r = sendMedia(new WaitForDigitCommand((int) Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        if (r.getResultCode() < 0) goneNow();
        return r.getResultCode() == 0 ? 0 : (char) r.getResultCode();
    }

    @Override
    public void interrupt() {
        interrupted = true;
        if (channel instanceof TwimlAgiChannel c) c.nudge();
        BridgeBreaker.App app = inBridge;
        if (app != null) breaker.breakOut(channel.getName(), app, () -> inBridge == app);
        AudioLink link = inLink;
        if (link != null) link.hangUp(); // AudioSocket() returns at once
    }

    /** The NOOP half of {@link #interrupt()} alone: what arrives when the flag was checked just before a command. */
    void nudgeChannel() {
        if (channel instanceof TwimlAgiChannel c) c.nudge();
    }

    @Override
    public boolean interrupted() {
        return interrupted;
    }

    @Override
    public void clearInterrupt() {
        interrupted = false;
        if (channel instanceof TwimlAgiChannel c) c.clearNudge();
    }

    /** A media command {@link #interrupt()} can stop ({@link CallInterrupted}). */
    private AgiReply sendMedia(AgiCommand command) {
        if (interrupted) throw new CallInterrupted();
        if (!(channel instanceof TwimlAgiChannel c)) return send(command);
        if (gone) throw new CallGoneException();
        AgiText.checkLength(command.buildCommand());
        TwimlAgiChannel.Reply r;
        try {
            r = c.sendInterruptible(command);
        } catch (AgiHangupException e) {
            return goneNow();
        } catch (AgiException e) {
            throw new IllegalStateException("AGI " + command.buildCommand().split(" ")[0] + " failed: "
                    + e.getMessage(), e);
        }
        if (r.interrupted() || interrupted) throw new CallInterrupted();
        return r.reply();
    }

    @Override
    public Recorded record(String asteriskPath, Duration maxLength, Duration silence, String finishKeys) {
        int maxMs = maxLength.isZero() ? -1 : (int) Math.min(Integer.MAX_VALUE, maxLength.toMillis());
        AgiReply r = send(new RecordFileCommand(AgiText.clean(asteriskPath), "wav", AgiText.clean(finishKeys),
                maxMs, 0, false, (int) silence.toSeconds()));
        String how = r.getExtra() == null ? "" : r.getExtra();
        if (r.getResultCode() < 0 || how.equals("hangup")) {
            gone = true; // Asterisk closed the file; the recording is kept
            return new Recorded(RecordEnd.HANGUP, (char) 0);
        }
        if (how.equals("dtmf")) return new Recorded(RecordEnd.KEY, (char) r.getResultCode());
        if (how.equals("timeout")) return new Recorded(RecordEnd.TIMEOUT, (char) 0);
        throw new IllegalStateException("RECORD FILE failed: " + how);
    }

    @Override
    public TransferResult transfer(String referTo, Duration maxWait) {
        // Transfer() on an answered PJSIP channel sends a REFER whose Refer-To is this text verbatim (pjsip's
        // pjsip_xfer_initiate), hence the angle brackets: a URI with ?headers or ;params must be a name-addr
        // (RFC 3261 20.10). It blocks until the REFER is refused, a final sipfrag NOTIFY arrives or the
        // subscription ends, and pjsip only expires that subscription after 600 s: a 202 without a final NOTIFY
        // holds the call (measured: still blocked after 100 s). So the channel's absolute timeout bounds it; when it
        // fires, Asterisk ends the channel (our leg is over) and this returns status "TIMEOUT".
        long boundSeconds = Math.max(1, maxWait.toSeconds());
        send(new SetVariableCommand("TIMEOUT(absolute)",
                Long.toString(boundSeconds)));
        long started = System.nanoTime();
        long boundNanos = (boundSeconds * 1000 - 500) * 1_000_000L;
        String[] v;
        try {
            exec("Transfer", AgiText.appArg("PJSIP/<" + referTo + ">"));
            v = String.valueOf(evaluate("${TRANSFERSTATUS}|${TRANSFERSTATUSPROTOCOL}")).split("\\|", -1);
        } catch (CallGoneException e) {
            if (System.nanoTime() - started < boundNanos) throw e; // the caller hung up
            return new TransferResult(TransferStatus.TIMED_OUT, 0);
        }
        int code = 0;
        if (v.length > 1 && v[1].matches("\\d{1,3}")) code = Integer.parseInt(v[1]);
        boolean timedOut = "FAILURE".equals(v[0]) && code <= 1 && System.nanoTime() - started >= boundNanos;
        try {
            send(new SetVariableCommand("TIMEOUT(absolute)", "0"));
            send(new ChannelStatusCommand()); // 511 once the channel is hung up; GET/SET VARIABLE still work then
        } catch (CallGoneException e) {
            // Transfer() also returns FAILURE without a code when the caller hangs up: that is a hangup. A known
            // result (SUCCESS then the referee's BYE, the normal end of a transfer, or a SIP code) or our own
            // bound is still reported.
            if (!timedOut && "FAILURE".equals(v[0]) && code <= 1) throw e;
        }
        if (timedOut) {
            gone = true; // the absolute timeout fired: Asterisk is hanging the channel up
            return new TransferResult(TransferStatus.TIMED_OUT, 0);
        }
        return new TransferResult(transferStatus(v[0]), code);
    }

    /** Asterisk's TRANSFERSTATUS in our words. */
    static TransferStatus transferStatus(String status) {
        return switch (status.strip()) {
            case "SUCCESS" -> TransferStatus.SUCCEEDED;
            case "UNSUPPORTED" -> TransferStatus.UNSUPPORTED;
            default -> TransferStatus.FAILED;
        };
    }

    @Override
    public void annotate(Map<String, String> variables) {
        // one MSet instead of a SET VARIABLE per name: one round trip. The values are for the operator (core show
        // channel): a long one (a document URL) is cut, never a reason for the command to be refused
        int each = MAX_ANNOTATION_CHARS / Math.max(1, variables.size());
        StringBuilder args = new StringBuilder();
        variables.forEach((name, value) -> {
            if (!name.matches("[A-Z_]{1,32}")) throw new IllegalArgumentException("bad variable name " + name);
            if (args.length() > 0) args.append(',');
            args.append(name).append('=').append(AgiText.appArg(AgiText.truncate(value, each)));
        });
        if (args.length() > 0) exec("MSet", args.toString());
    }

    @Override
    public DialResult dial(DialRequest request) {
        if (gone) throw new CallGoneException();
        if (interrupted) throw new CallInterrupted();
        DialResult r = inBridge(new BridgeBreaker.DialApp(),
                () -> new AgiDialer(channel).dial(request)); // all Dial commands are built there
        if (r.bridged()) markAnswered();     // Asterisk answered an unanswered caller on bridge (answerOnBridge)
        if (r.callerHungUp()) gone = true;
        return r;
    }

    @Override
    public ConferenceResult conference(ConferenceRequest request) {
        answer();
        if (interrupted) throw new CallInterrupted();
        ConferenceResult r = inBridge(new BridgeBreaker.ConferenceApp(request.room()),
                () -> new AgiConference(channel).join(request)); // all ConfBridge commands are built there
        if (r.callerHungUp()) gone = true;
        return r;
    }

    @Override
    public AudioLinkEnd linkAudio(AudioLink link) {
        answer();
        if (interrupted) throw new CallInterrupted();
        inLink = link;
        AudioLinkEnd end;
        try {
            if (interrupted) link.hangUp(); // came in between
            end = new AgiStreams(channel).link(link.id(), link.address()); // all AudioSocket commands are built there
        } finally {
            inLink = null;
        }
        if (end == AudioLinkEnd.CALLER_HUNG_UP) gone = true;
        else if (interrupted) throw new CallInterrupted();
        return end;
    }

    @Override
    public boolean forkAudio(AudioLink link) {
        if (gone) throw new CallGoneException();
        AgiStreams.Fork f = new AgiStreams(channel).fork(link.id(), link.address(), channel.getUniqueId());
        if (f == AgiStreams.Fork.CALLER_GONE) goneNow();
        return f == AgiStreams.Fork.STARTED;
    }

    /** Runs a bridging application; an {@link #interrupt()} meanwhile has the breaker end it. */
    private <T> T inBridge(BridgeBreaker.App app, Supplier<T> run) {
        inBridge = app;
        try {
            if (interrupted) breaker.breakOut(channel.getName(), app, () -> inBridge == app); // came in between
            return run.get();
        } finally {
            inBridge = null;
        }
    }

    @Override
    public void reject(int sipCode) {
        if (sipCode < 400 || sipCode > 699) throw new IllegalArgumentException("not a SIP rejection: " + sipCode);
        try {
            if (exec("PJSIPHangup", Integer.toString(sipCode)) == -2) { // Asterisk older than 21.1 / 20.6
                int cause = RejectCodes.causeFor(sipCode);
                exec("Hangup", Integer.toString(cause == 0 ? 16 : cause));
            }
        } catch (CallGoneException expected) {
            // the hangup ends the channel; that is the point
        }
        gone = true;
    }

    @Override
    public void hangup() {
        if (gone) return;
        if (hangsUpOnReturn && answered) {
            gone = true; // no command may follow: the dialplan's Hangup() sends the BYE when the script returns
            hangupOnReturn = true;
            return;
        }
        try {
            send(new HangupCommand());
        } catch (CallGoneException alreadyGone) {
            // the caller was faster
        }
        gone = true;
    }

    private void hangUpNowIfLeftToDialplan() {
        if (!hangupOnReturn) return;
        hangupOnReturn = false;
        try {
            channel.sendCommand(new HangupCommand());
        } catch (AgiException e) {
            // hung up already
        }
    }

    @Override
    public boolean isGone() {
        return gone;
    }

    @Override
    public void hangupReported() {
        gone = true;
    }

    @Override
    public ChannelId channel() {
        return new ChannelId(channel.getName(), channel.getUniqueId());
    }

    /** Evaluates a dialplan expression built by this package only (never from untrusted text). */
    String evaluate(String expression) {
        AgiReply r = send(new GetFullVariableCommand(expression));
        return r.getResultCode() == 1 ? r.getExtra() : null;
    }

    int exec(String application, String escapedArgs) {
        AgiReply r = send(new ExecCommand(application, escapedArgs));
        int code = r.getResultCode();
        if (code == -2) {
            if (application.equals("PJSIPHangup")) return code; // reject() falls back to Hangup(cause)
            throw new IllegalStateException("Asterisk has no application " + application);
        }
        if (code < 0) goneNow();
        return code;
    }

    private void probeAlive() {
        send(new ChannelStatusCommand()); // 511 on a dead channel → CallGoneException
    }

    private AgiReply send(AgiCommand command) {
        if (gone) throw new CallGoneException();
        AgiText.checkLength(command.buildCommand());
        try {
            return channel.sendCommand(command);
        } catch (AgiHangupException e) {
            return goneNow();
        } catch (AgiException e) {
            throw new IllegalStateException("AGI " + command.buildCommand().split(" ")[0] + " failed: "
                    + e.getMessage(), e);
        }
    }

    private AgiReply goneNow() {
        gone = true;
        throw new CallGoneException();
    }
}
