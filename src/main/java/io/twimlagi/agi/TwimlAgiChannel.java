package io.twimlagi.agi;

import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.asteriskjava.fastagi.AgiReader;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiWriter;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.ExecCommand;
import org.asteriskjava.fastagi.internal.AgiChannelImpl;
import org.asteriskjava.fastagi.reply.AgiReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * asterisk-java's channel, with a deadline on the reply to each command that returns at once
 * ({@link BoundedCommands}): a peer that never answers one ends that call (the connection is closed, so Asterisk's
 * dialplan goes on after AGI(): 503 if unanswered, else Hangup) instead of holding its thread forever; to the code
 * above it looks like a hangup. And minus asterisk-java's trailing command: after the script returns, asterisk-java
 * sends {@code SET VARIABLE AJ_AGISTATUS} before closing the socket. On a rejected (dead) channel that costs ~40 ms
 * of post-dial delay, because Asterisk only sends the 486/404 when the AGI ends. We close at once instead.
 */
final class TwimlAgiChannel extends AgiChannelImpl {
    private static final Logger log = LoggerFactory.getLogger(TwimlAgiChannel.class);

    private final AgiSocket socket;
    private final Duration replyTimeout;

    TwimlAgiChannel(AgiRequest request, AgiWriter writer, AgiReader reader, AgiSocket socket, Duration replyTimeout) {
        super(request, writer, reader);
        this.socket = socket;
        this.replyTimeout = replyTimeout;
    }

    @Override
    public synchronized AgiReply sendCommand(AgiCommand command) throws AgiException {
        if (socket.timedOut()) throw new AgiHangupException();
        boolean bounded = BoundedCommands.bounded(command);
        if (bounded) socket.deadline(replyTimeout);
        try {
            return super.sendCommand(command);
        } catch (AgiHangupException e) {
            if (socket.timedOut()) {
                log.warn("{} no reply to AGI {} within {} ms: closed the AGI connection (Asterisk ends the call)",
                        getName(), describe(command), replyTimeout.toMillis());
            }
            throw e;
        } finally {
            if (bounded) socket.noDeadline();
        }
    }

    /** The command without its arguments: {@code GET FULL VARIABLE}, {@code EXEC MSet}. */
    private static String describe(AgiCommand command) {
        if (command instanceof ExecCommand exec) return "EXEC " + exec.getApplication();
        String text = command.buildCommand();
        int quote = text.indexOf('"');
        return (quote < 0 ? text : text.substring(0, quote)).strip();
    }

    @Override
    public void setVariable(String name, String value) throws AgiException {
        if ("AJ_AGISTATUS".equals(name)) return;
        super.setVariable(name, value);
    }

    @Override
    public void verbose(String message, int level) {
        // asterisk-java logs script failures to the Asterisk console this way; our own log has them already
    }
}
