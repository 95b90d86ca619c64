package io.twimlagi.ami;

import org.asteriskjava.manager.AsteriskMapping;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.HangupRequestEvent;

/**
 * asterisk-java's hangup events plus what Asterisk 22 adds to them: {@code TechCause} (the SIP response code of a
 * failed INVITE, 300 and above). Registered on the connection in place of asterisk-java's own classes; public only
 * because asterisk-java builds them by reflection.
 */
public final class AmiEvents {
    private AmiEvents() {
    }

    /** {@code Event: Hangup}: the channel is gone. */
    @AsteriskMapping("Hangup")
    public static final class Hangup extends HangupEvent {
        private static final long serialVersionUID = 1L;
        private Integer techCause;

        public Hangup(Object source) {
            super(source);
        }

        public Integer getTechCause() {
            return techCause;
        }

        public void setTechCause(Integer techCause) {
            this.techCause = techCause;
        }
    }

    /** {@code Event: HangupRequest}: the far end hung up (BYE, CANCEL) or a hangup was queued with a cause. */
    @AsteriskMapping("HangupRequest")
    public static final class HangupRequest extends HangupRequestEvent {
        private static final long serialVersionUID = 1L;
        private Integer techCause;

        public HangupRequest(Object source) {
            super(source);
        }

        public Integer getTechCause() {
            return techCause;
        }

        public void setTechCause(Integer techCause) {
            this.techCause = techCause;
        }
    }
}
