package io.twimlagi.agi;

import io.twimlagi.engine.Call;
import io.twimlagi.engine.CallGoneException;
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
import org.asteriskjava.fastagi.command.StreamFileCommand;
import org.asteriskjava.fastagi.command.WaitForDigitCommand;
import org.asteriskjava.fastagi.reply.AgiReply;

import java.time.Duration;

/**
 * {@link Call} over FastAGI: the only class that writes AGI commands. Every argument passes {@link AgiText}.
 * A caller's hangup shows as 511 (dead channel), EOF, or {@code result=-1}; all become {@link CallGoneException}.
 */
public final class AgiCall implements Call {
    private final AgiChannel channel;
    private boolean answered;
    private volatile boolean gone;

    public AgiCall(AgiChannel channel) {
        this.channel = channel;
    }

    @Override
    public void answer() {
        if (answered) return;
        if (send(new AnswerCommand()).getResultCode() < 0) goneNow();
        answered = true;
    }

    @Override
    public boolean isAnswered() {
        return answered;
    }

    @Override
    public char play(String asteriskPath, String stopKeys) {
        AgiReply r = send(new StreamFileCommand(AgiText.clean(asteriskPath), AgiText.clean(stopKeys)));
        if (r.getResultCode() < 0) {
            // -1 is both "hung up" and "file missing": ask the channel which
            probeAlive();
            throw new IllegalStateException("Asterisk could not play " + asteriskPath);
        }
        return r.getResultCode() == 0 ? 0 : (char) r.getResultCode();
    }

    @Override
    public void sendDigits(String digits) {
        exec("SendDTMF", AgiText.appArg(digits));
    }

    @Override
    public void pause(Duration length) {
        exec("Wait", String.format(java.util.Locale.ROOT, "%.3f", Math.max(0, length.toMillis()) / 1000.0));
    }

    @Override
    public char waitForDigit(Duration timeout) {
        AgiReply r = send(new WaitForDigitCommand((int) Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        if (r.getResultCode() < 0) goneNow();
        return r.getResultCode() == 0 ? 0 : (char) r.getResultCode();
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
    public Transferred transfer(String referTo) {
        // Transfer() on an answered PJSIP channel sends REFER and blocks until the final NOTIFY (or failure)
        exec("Transfer", AgiText.appArg("PJSIP/<" + referTo + ">"));
        String[] v = String.valueOf(evaluate("${TRANSFERSTATUS}|${TRANSFERSTATUSPROTOCOL}")).split("\\|", -1);
        int code = 0;
        if (v.length > 1 && v[1].matches("\\d{1,3}")) code = Integer.parseInt(v[1]);
        return new Transferred(v[0], code);
    }

    @Override
    public void annotate(java.util.Map<String, String> variables) {
        // one MSet instead of a SET VARIABLE per name: one round trip
        StringBuilder args = new StringBuilder();
        variables.forEach((name, value) -> {
            if (!name.matches("[A-Z_]{1,32}")) throw new IllegalArgumentException("bad variable name " + name);
            if (args.length() > 0) args.append(',');
            args.append(name).append('=').append(AgiText.appArg(value));
        });
        if (args.length() > 0) exec("MSet", args.toString());
    }

    @Override
    public void reject(int sipCode) {
        if (sipCode < 400 || sipCode > 699) throw new IllegalArgumentException("not a SIP rejection: " + sipCode);
        try {
            exec("PJSIPHangup", Integer.toString(sipCode));
        } catch (CallGoneException expected) {
            // PJSIPHangup ends the channel; that is the point
        }
        gone = true;
    }

    @Override
    public void hangup() {
        if (gone) return;
        try {
            send(new HangupCommand());
        } catch (CallGoneException alreadyGone) {
            // the caller was faster
        }
        gone = true;
    }

    @Override
    public boolean isGone() {
        return gone;
    }

    /** Evaluates a dialplan expression built by this package only (never from untrusted text). */
    String evaluate(String expression) {
        AgiReply r = send(new GetFullVariableCommand(expression));
        return r.getResultCode() == 1 ? r.getExtra() : null;
    }

    int exec(String application, String escapedArgs) {
        AgiReply r = send(new ExecCommand(application, escapedArgs));
        int code = r.getResultCode();
        if (code == -2) throw new IllegalStateException("Asterisk has no application " + application);
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
