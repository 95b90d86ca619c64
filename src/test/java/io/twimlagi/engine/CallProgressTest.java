package io.twimlagi.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CallProgressTest {
    @Test
    void terminalStatusAndFinalCodeFollowWhatTheCallerGot() {
        CallProgress busy = new CallProgress();
        busy.rejected(486);
        assertEquals("busy", busy.terminalStatus());
        assertEquals(486, busy.finalSipCode());

        CallProgress rejected = new CallProgress();
        rejected.rejected(404);
        assertEquals("no-answer", rejected.terminalStatus());

        CallProgress error = new CallProgress();
        error.rejected(500);
        assertEquals("failed", error.terminalStatus());

        CallProgress cancelled = new CallProgress();
        assertEquals("canceled", cancelled.terminalStatus());
        assertEquals(487, cancelled.finalSipCode());

        CallProgress answered = new CallProgress();
        answered.answered();
        assertEquals("completed", answered.terminalStatus());
        assertEquals(200, answered.finalSipCode());
        assertEquals(0, answered.durationSeconds());
    }
}
