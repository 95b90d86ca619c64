package io.twimlagi.server;

import io.twimlagi.ami.AmiException;
import io.twimlagi.ami.Originate;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a REST call is originated and canceled through the Manager Interface. */
class AmiOriginatorTest {
    static final String SID = "CA" + "0123456789abcdef".repeat(2);

    @Test
    void theOriginateNamesBothHalvesAndCarriesTheVariables() {
        Originate o = AmiOriginator.originateOf(SID, Duration.ofSeconds(75), Map.of("TWIML_DIAL", "PJSIP/x,20,g"));
        assertEquals("Local/" + SID + "@twiml-outbound-dial", o.channel());
        assertEquals("twiml-outbound|" + SID + "|1", o.context() + "|" + o.exten() + "|" + o.priority());
        assertEquals(SID + "|" + SID + ".2", o.channelId() + "|" + o.otherChannelId());
        assertEquals(Map.of("TWIML_DIAL", "PJSIP/x,20,g"), o.variables());
    }

    @Test
    void aCancelThatFindsTheDialingHalfOnlyHangsItUp() {
        List<String> done = new ArrayList<>();
        AmiOriginator.cancel(SID, id -> done.add("hangup " + id), sid -> done.add("flag " + sid));
        assertEquals(List.of("hangup " + SID + ".2"), done);
    }

    /**
     * Before Asterisk made the dialing half: the flag its dialplan checks before the Dial, then the hangup again,
     * for a channel made between the first hangup and the flag (which passed the check already).
     */
    @Test
    void aCancelBeforeTheDialingHalfExistsFlagsItThenHangsUpAgain() {
        List<String> done = new ArrayList<>();
        AmiOriginator.cancel(SID, id -> {
            done.add("hangup " + id);
            return false;
        }, sid -> done.add("flag " + sid));
        assertEquals(List.of("hangup " + SID + ".2", "flag " + SID, "hangup " + SID + ".2"), done);
    }

    @Test
    void onlyARefusalMeansNoChannelWasMade() {
        AmiOriginator o = new AmiOriginator(null);
        assertTrue(o.refused(new CompletionException(new AmiException(AmiException.Reason.REFUSED, "no"))));
        assertTrue(o.refused(new AmiException(AmiException.Reason.REFUSED, "no")));
        assertFalse(o.refused(new AmiException(AmiException.Reason.NOT_CONNECTED, "gone")), "it may have one");
        assertFalse(o.refused(new AmiException(AmiException.Reason.TIMEOUT, "silent")));
    }
}
