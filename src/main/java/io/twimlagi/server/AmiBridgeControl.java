package io.twimlagi.server;

import io.twimlagi.ami.AmiClient;
import io.twimlagi.ami.AmiException;
import io.twimlagi.dial.BridgeControl;
import io.twimlagi.dial.BridgeControlException;

import java.util.function.Supplier;

/** The REST API's hands on ConfBridge: AMI's ConfbridgeKick, ConfbridgeMute and ConfbridgeUnmute. */
final class AmiBridgeControl implements BridgeControl {
    private final Supplier<AmiClient> ami;

    AmiBridgeControl(Supplier<AmiClient> ami) {
        this.ami = ami;
    }

    @Override
    public boolean available() {
        AmiClient client = ami.get();
        return client != null && client.isConnected();
    }

    @Override
    public void kick(String room, String channel) throws BridgeControlException {
        try {
            client().confbridgeKick(room, channel);
        } catch (AmiException e) {
            throw translated(e);
        } catch (IllegalArgumentException e) {
            throw new BridgeControlException(BridgeControlException.Reason.REFUSED, e.getMessage());
        }
    }

    @Override
    public void mute(String room, String channel, boolean muted) throws BridgeControlException {
        try {
            client().confbridgeMute(room, channel, muted);
        } catch (AmiException e) {
            throw translated(e);
        } catch (IllegalArgumentException e) {
            throw new BridgeControlException(BridgeControlException.Reason.REFUSED, e.getMessage());
        }
    }

    private AmiClient client() throws BridgeControlException {
        AmiClient client = ami.get();
        if (client == null) {
            throw new BridgeControlException(BridgeControlException.Reason.NOT_CONFIGURED, "AMI is off");
        }
        return client;
    }

    private static BridgeControlException translated(AmiException e) {
        return new BridgeControlException(e.reason() == AmiException.Reason.REFUSED
                ? BridgeControlException.Reason.REFUSED : BridgeControlException.Reason.UNAVAILABLE, e.getMessage());
    }
}
