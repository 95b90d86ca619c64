package io.twimlagi.agi;

import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.AnswerCommand;
import org.asteriskjava.fastagi.command.ChannelStatusCommand;
import org.asteriskjava.fastagi.command.ExecCommand;
import org.asteriskjava.fastagi.command.GetFullVariableCommand;
import org.asteriskjava.fastagi.command.GetVariableCommand;
import org.asteriskjava.fastagi.command.HangupCommand;
import org.asteriskjava.fastagi.command.NoopCommand;
import org.asteriskjava.fastagi.command.SetMusicOffCommand;
import org.asteriskjava.fastagi.command.SetMusicOnCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.asteriskjava.fastagi.command.VerboseCommand;

import java.util.Locale;
import java.util.Set;

/**
 * Which AGI commands Asterisk answers at once, so their reply gets {@code agi_reply_timeout}: reading and setting
 * variables, CHANNEL STATUS, ANSWER, HANGUP, and EXEC of applications that return immediately (MSet, PJSIPHangup,
 * Hangup, MixMonitor, ...). Everything else is unbounded: STREAM FILE, WAIT FOR DIGIT, RECORD FILE and EXEC of
 * Dial, ConfBridge, Wait, SendDTMF, Transfer... last as long as the caller, the callee or the app's TwiML wants.
 * An allow-list on purpose: a command nobody classified is never cut short (a real call is not ended by mistake);
 * the cost is only that a silent peer holds that one call.
 */
final class BoundedCommands {
    private static final Set<Class<? extends AgiCommand>> INSTANT = Set.of(AnswerCommand.class, HangupCommand.class,
            ChannelStatusCommand.class, GetVariableCommand.class, GetFullVariableCommand.class,
            SetVariableCommand.class, VerboseCommand.class, NoopCommand.class, SetMusicOnCommand.class,
            SetMusicOffCommand.class);
    /** Dialplan applications that return at once (names are case-insensitive in Asterisk). */
    private static final Set<String> INSTANT_APPS = Set.of("mset", "set", "noop", "pjsiphangup", "hangup",
            "ringing", "progress", "answer", "mixmonitor", "stopmixmonitor", "confkick");

    private BoundedCommands() {
    }

    static boolean bounded(AgiCommand command) {
        if (command instanceof ExecCommand exec) {
            return exec.getApplication() != null
                    && INSTANT_APPS.contains(exec.getApplication().toLowerCase(Locale.ROOT));
        }
        return INSTANT.contains(command.getClass());
    }
}
