package io.twimlagi.dial;

/**
 * What the REST API does to a participant from outside its call, on Asterisk's ConfBridge (through the Manager
 * Interface: server/AmiBridgeControl). Channel names are full Asterisk channel names.
 */
public interface BridgeControl {
    /** Whether Asterisk can be asked now (AMI logged in). */
    boolean available();

    /** Takes {@code channel} out of ConfBridge {@code room}: its ConfBridge application returns (KICKED). */
    void kick(String room, String channel) throws BridgeControlException;

    /** Mutes or unmutes {@code channel} in ConfBridge {@code room}. */
    void mute(String room, String channel, boolean muted) throws BridgeControlException;
}
