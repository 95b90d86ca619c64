package io.twimlagi.agi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The AudioSocket() and fork Originate() arguments: ours, checked, escaped. */
class AgiStreamsTest {
    static final String ID = "0b7c5e4a-1f2d-4c3b-9a8e-7d6c5b4a3f21";

    @Test
    void aForkSpiesOnTheChannelByItsUniqueId() {
        assertEquals("AudioSocket/127.0.0.1:4574/" + ID + ",app,ChanSpy,1733220000.42\\,qEuDS,,5",
                AgiStreams.forkArgs(ID, "127.0.0.1:4574", "1733220000.42"));
    }

    /** asterisk.conf's systemname prefixes every uniqueid ("%s-%li.%d"): clusters set it. */
    @Test
    void aUniqueIdWithAsterisksSystemNameIsAccepted() {
        assertEquals("AudioSocket/127.0.0.1:4574/" + ID + ",app,ChanSpy,pbx1-1733220000.42\\,qEuDS,,5",
                AgiStreams.forkArgs(ID, "127.0.0.1:4574", "pbx1-1733220000.42"));
    }

    @Test
    void aUniqueIdThatCouldCarryArgumentsIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> AgiStreams.forkArgs(ID, "127.0.0.1:4574", "1733220000.42,q)|x"));
        assertThrows(IllegalArgumentException.class, () -> AgiStreams.forkArgs(ID, "127.0.0.1:4574", ""));
    }
}
