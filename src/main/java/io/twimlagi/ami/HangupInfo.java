package io.twimlagi.ami;

/**
 * A channel hung up: whichever of Asterisk's {@code HangupRequest} (the far end's BYE or CANCEL, a failed INVITE) and
 * {@code Hangup} (the channel is gone) events came first.
 *
 * @param uniqueId  the channel's Uniqueid
 * @param channel   its name, e.g. {@code PJSIP/sipp-00000001}
 * @param cause     the Q.850 cause Asterisk gives (16 normal clearing, 17 busy, 19 no answer, ...); 0 if none
 * @param causeText Asterisk's text for {@code cause} ({@code ast_cause2str}), e.g. "Normal Clearing"
 * @param sipCode   the SIP response Asterisk reports as {@code TechCause} (Asterisk 22: only codes of 300 and above,
 *                  e.g. 486 when our INVITE was answered busy); 0 when none
 */
public record HangupInfo(String uniqueId, String channel, int cause, String causeText, int sipCode) {
}
