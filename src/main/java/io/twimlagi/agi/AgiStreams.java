package io.twimlagi.agi;

import io.twimlagi.call.AudioLinkEnd;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.reply.AgiReply;

import java.util.regex.Pattern;

/**
 * The AGI side of Media Streams: Asterisk's AudioSocket carries the audio to the server's listener.
 * <ul>
 *   <li>Both ways, on the call's own channel ({@code <Connect><Stream>}): {@code EXEC AudioSocket "<uuid>,<host:port>"}.
 *       It blocks while the audio flows and returns 0 when the server ends the link (AudioSocket's hangup message),
 *       -1 when the caller hung up or Asterisk could not connect (told apart with CHANNEL STATUS). No second channel,
 *       no bridge, no queue inside Asterisk: each frame the server sends is written to the call as it arrives.</li>
 *   <li>A copy beside the call ({@code <Start><Stream>}): {@code EXEC Originate
 *       "AudioSocket/<host:port>/<uuid>,app,ChanSpy,<uniqueid>\,qEuDS,,5"}, then {@code ${ORIGINATE_STATUS}}. The new
 *       AudioSocket channel runs ChanSpy on this call's channel (by unique id: {@code u}), quiet ({@code q}), giving
 *       what the caller says and what the caller hears as the two channels of one stereo frame ({@code D}), and
 *       ends when the call does ({@code E}) or is not there ({@code S}). Returns once that channel is up.</li>
 * </ul>
 * Every argument is ours (a random UUID, the listener's address, Asterisk's unique id), checked and escaped here.
 */
final class AgiStreams {
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern ADDRESS = Pattern.compile("(\\[[0-9A-Fa-f:.]{2,45}]|[0-9A-Za-z.-]{1,253}):\\d{1,5}");
    /** Asterisk's uniqueid: {@code 1733220000.42}, or {@code pbx1-1733220000.42} with asterisk.conf's systemname. */
    private static final Pattern UNIQUE_ID = Pattern.compile("[A-Za-z0-9._-]{1,149}");
    /** Seconds Originate waits for the AudioSocket channel to come up (it answers as soon as it connected). */
    static final int ORIGINATE_TIMEOUT = 5;

    /** How {@link #fork} went. */
    enum Fork { STARTED, FAILED, CALLER_GONE }

    private final BlockingAppSession session;

    AgiStreams(AgiChannel channel) {
        this.session = new BlockingAppSession(channel);
    }

    /** The AudioSocket() arguments. */
    static String linkArgs(String id, String address) {
        return AgiText.appArg(check(UUID, id, "id")) + "," + AgiText.appArg(check(ADDRESS, address, "address"));
    }

    /** The Originate() arguments of a fork. */
    static String forkArgs(String id, String address, String uniqueId) {
        String tech = "AudioSocket/" + check(ADDRESS, address, "address") + "/" + check(UUID, id, "id");
        // ChanSpy's two arguments are Originate's fourth: their comma is escaped once more, for Originate's parser
        String spy = check(UNIQUE_ID, uniqueId, "unique id") + ",qEuDS";
        return AgiText.appArg(tech) + ",app,ChanSpy," + AgiText.appArg(spy) + ",," + ORIGINATE_TIMEOUT;
    }

    /** Runs AudioSocket() on the call until the link, or the call, ends. */
    AudioLinkEnd link(String id, String address) {
        AgiReply r = session.exec("AudioSocket", linkArgs(id, address));
        if (r != null && r.getResultCode() >= 0) return AudioLinkEnd.ENDED;
        return session.channelAlive() ? AudioLinkEnd.FAILED : AudioLinkEnd.CALLER_HUNG_UP;
    }

    /** Starts the copy of the call's audio (the channel's unique id: {@code uniqueId}). */
    Fork fork(String id, String address, String uniqueId) {
        session.exec("Originate", forkArgs(id, address, uniqueId));
        if (session.callerGone() && !session.channelAlive()) return Fork.CALLER_GONE;
        return "SUCCESS".equals(session.get("${ORIGINATE_STATUS}")) ? Fork.STARTED : Fork.FAILED;
    }

    private static String check(Pattern p, String value, String what) {
        if (value == null || !p.matcher(value).matches()) {
            throw new IllegalArgumentException("bad " + what + " for AudioSocket: " + value);
        }
        return value;
    }
}
