package io.twimlagi.agi;

import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.asteriskjava.fastagi.AgiReader;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiWriter;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.ExecCommand;
import org.asteriskjava.fastagi.command.NoopCommand;
import org.asteriskjava.fastagi.command.StreamFileCommand;
import org.asteriskjava.fastagi.internal.AgiChannelImpl;
import org.asteriskjava.fastagi.reply.AgiReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * asterisk-java's channel with three changes.
 * <ul>
 *   <li>A deadline on the reply to each command that returns at once ({@link BoundedCommands}): a peer that never
 *       answers one ends that call (the connection is closed, so Asterisk's dialplan goes on after AGI(): 503 if
 *       unanswered, else Hangup) instead of holding its thread forever; to the code above it looks like a hangup.</li>
 *   <li>No trailing command: after the script returns, asterisk-java sends {@code SET VARIABLE AJ_AGISTATUS} before
 *       closing the socket. On a rejected (dead) channel that costs ~40 ms of post-dial delay, because Asterisk only
 *       sends the 486/404 when the AGI ends. We close at once instead.</li>
 *   <li>Interruptible media commands. While STREAM FILE or WAIT FOR DIGIT runs, Asterisk also watches the AGI
 *       socket ({@code ast_waitstream_full} / {@code ast_waitfordigit_full} with the AGI's control fd): a new
 *       command line arriving stops them. {@link #nudge()} writes a NOOP from another thread. An interrupted
 *       STREAM FILE sends no reply of its own (res_agi: "there is a new command"), so the next line is the NOOP's
 *       ({@code 200 result=0}, no {@code endpos=}); an interrupted WAIT FOR DIGIT replies {@code result=1}, then
 *       the NOOP replies. A command that ended on its own just before the NOOP arrived replies normally and the
 *       NOOP's reply follows; it is read and dropped, so replies never get out of step.</li>
 * </ul>
 */
final class TwimlAgiChannel extends AgiChannelImpl {
    private static final Logger log = LoggerFactory.getLogger(TwimlAgiChannel.class);

    /** A reply, and whether the command was stopped by {@link #nudge()}. */
    record Reply(AgiReply reply, boolean interrupted) {
    }

    private final LockedWriter writer;
    private final AgiReader reader;
    private final AgiSocket socket;
    private final Duration replyTimeout;

    TwimlAgiChannel(AgiRequest request, AgiWriter writer, AgiReader reader, AgiSocket socket, Duration replyTimeout) {
        this(request, new LockedWriter(writer), reader, socket, replyTimeout);
    }

    private TwimlAgiChannel(AgiRequest request, LockedWriter writer, AgiReader reader, AgiSocket socket,
                            Duration replyTimeout) {
        super(request, writer, reader);
        this.writer = writer;
        this.reader = reader;
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

    /** Sends STREAM FILE or WAIT FOR DIGIT so that {@link #nudge()} can stop it (no reply deadline: media). */
    synchronized Reply sendInterruptible(AgiCommand command) throws AgiException {
        if (socket.timedOut()) throw new AgiHangupException();
        command.setAsteriskVersion(getAsteriskVersion());
        writer.begin(command);
        AgiReply reply;
        boolean nudged;
        try {
            reply = reader.readReply();
        } finally {
            nudged = writer.end();
        }
        boolean interrupted = false;
        if (nudged) {
            if (command instanceof StreamFileCommand) {
                interrupted = !reply.getFirstLine().contains("endpos=");
                if (!interrupted) reader.readReply(); // the stream ended first: the NOOP's reply follows
            } else {
                interrupted = reply.getStatus() == AgiReply.SC_SUCCESS && reply.getResultCode() == 1;
                reader.readReply(); // the NOOP's
            }
        }
        if (reply.getStatus() == AgiReply.SC_DEAD_CHANNEL) throw new AgiHangupException();
        return new Reply(reply, interrupted);
    }

    /**
     * Stops the interruptible command in progress; with none in progress, the next one as soon as it is sent (an
     * interrupt racing the command's start is not lost). Safe from any thread.
     */
    void nudge() {
        writer.nudge();
    }

    /** The interrupt was taken: a nudge still waiting for a command is dropped. */
    void clearNudge() {
        writer.clearPending();
    }

    /** Serialises writes: the call's thread sends commands, another thread may send the NOOP that interrupts. */
    private static final class LockedWriter implements AgiWriter {
        private final AgiWriter out;
        private boolean interruptible;
        private boolean nudged;
        /** A nudge that came while no interruptible command ran, for the next one; cleared with the interrupt. */
        private boolean pending;

        synchronized void clearPending() {
            pending = false;
        }

        LockedWriter(AgiWriter out) {
            this.out = out;
        }

        @Override
        public synchronized void sendCommand(AgiCommand command) throws AgiException {
            out.sendCommand(command);
        }

        synchronized void begin(AgiCommand command) throws AgiException {
            out.sendCommand(command);
            interruptible = true;
            nudged = false;
            if (pending) { // the nudge came just before this command: it stops this one
                pending = false;
                nudge();
            }
        }

        /** The command's reply came; true when a NOOP was sent meanwhile (its reply is still to be read). */
        synchronized boolean end() {
            interruptible = false;
            return nudged;
        }

        synchronized void nudge() {
            if (!interruptible) {
                pending = true; // no interruptible command yet: the next one is stopped as soon as it is sent
                return;
            }
            if (nudged) return;
            try {
                out.sendCommand(new NoopCommand());
                nudged = true;
            } catch (AgiException e) {
                // the connection is closing: the command ends anyway
            }
        }
    }
}
