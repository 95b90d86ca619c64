package io.twimlagi.agi;

import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.ChannelStatusCommand;
import org.asteriskjava.fastagi.command.ExecCommand;
import org.asteriskjava.fastagi.command.GetFullVariableCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.asteriskjava.fastagi.reply.AgiReply;

/**
 * The commands around one long-running application (Dial, ConfBridge) that the caller may hang up during. A
 * hangup is a state here, not an exception: EXEC replies {@code result=-1}, and the reads after it still work on
 * the dead channel (Asterisk allows GET/SET VARIABLE and EXEC there) until the socket closes; after that every
 * command returns null.
 */
final class BlockingAppSession {
    private final AgiChannel channel;
    private boolean callerGone;
    private boolean socketClosed;

    BlockingAppSession(AgiChannel channel) {
        this.channel = channel;
    }

    boolean callerGone() {
        return callerGone;
    }

    /** Runs an application; a caller hangup during it marks the session. Escaping is the caller's job. */
    AgiReply exec(String application, String escapedArgs) {
        AgiReply r = send(new ExecCommand(application, escapedArgs));
        if (r != null && r.getResultCode() == -2) {
            throw new IllegalStateException("Asterisk has no application " + application);
        }
        if (r == null || r.getResultCode() < 0) callerGone = true;
        return r;
    }

    /** True when the channel is still up (a CHANNEL STATUS answer, not 511 or EOF); clears a wrong "gone". */
    boolean channelAlive() {
        boolean wasGone = callerGone;
        AgiReply r = send(new ChannelStatusCommand());
        boolean alive = r != null && r.getResultCode() >= 0;
        callerGone = wasGone && !alive;
        return alive;
    }

    void set(String name, String value) {
        send(new SetVariableCommand(name, value));
    }

    /** Evaluates an expression built by this package; null when unavailable. */
    String get(String expression) {
        AgiReply r = send(new GetFullVariableCommand(expression));
        return r != null && r.getResultCode() == 1 ? r.getExtra() : null;
    }

    /** Sends one command; after the caller's channel is gone for good (511, EOF) returns null. */
    private AgiReply send(AgiCommand command) {
        if (callerGone && socketClosed) return null;
        AgiText.checkLength(command.buildCommand());
        try {
            AgiReply r = channel.sendCommand(command);
            if (r.getStatus() == 511) {
                callerGone = true;
                return null;
            }
            return r;
        } catch (AgiHangupException e) {
            callerGone = true;
            socketClosed = true;
            return null;
        } catch (AgiException e) {
            throw new IllegalStateException("AGI " + command.buildCommand().split(" ")[0] + " failed: "
                    + e.getMessage(), e);
        }
    }
}
