package io.twimlagi.agi;

import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiReader;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiWriter;
import org.asteriskjava.fastagi.internal.AgiChannelImpl;

/**
 * asterisk-java's channel, minus its trailing command: after the script returns, asterisk-java sends
 * {@code SET VARIABLE AJ_AGISTATUS} before closing the socket. On a rejected (dead) channel that costs ~40 ms of
 * post-dial delay, because Asterisk only sends the 486/404 when the AGI ends. We close at once instead.
 */
final class TwimlAgiChannel extends AgiChannelImpl {
    TwimlAgiChannel(AgiRequest request, AgiWriter writer, AgiReader reader) {
        super(request, writer, reader);
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
