package io.twimlagi.ami;

/**
 * A channel hung up, or its hangup was requested (the far end's BYE or CANCEL, a soft hangup): whichever of
 * Asterisk's {@code HangupRequest}, {@code SoftHangupRequest} and {@code Hangup} events came first.
 *
 * @param uniqueId  the channel's Uniqueid
 * @param channel   its name, e.g. {@code PJSIP/sipp-00000001}
 * @param cause     the Q.850 cause Asterisk gives (16 normal clearing, 17 busy, ...); 0 when it gives none (a soft
 *                  hangup request, whose number is Asterisk's reason flag, not a cause)
 * @param causeText Asterisk's text for {@code cause} ({@code ast_cause2str}), e.g. "Normal Clearing"
 * @param sipCode   the SIP response Asterisk reports as {@code TechCause} (Asterisk 22: only codes of 300 and above,
 *                  e.g. 486 when our INVITE was answered busy); 0 when none
 */
public record HangupInfo(String uniqueId, String channel, int cause, String causeText, int sipCode) {
}
