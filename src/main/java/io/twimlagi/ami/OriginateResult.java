package io.twimlagi.ami;

/**
 * How an {@link Originate} ended: Asterisk's {@code OriginateResponse} event, and for a failure the hangup event of
 * the channel it made.
 *
 * @param success  true when the new channel was answered and went on into the dialplan or application
 * @param reason   Asterisk's reason (see {@link OriginateReason}: with PJSIP a rejected call is {@code FAILED}, not
 *                 {@code BUSY}; read {@code hangup})
 * @param channel  the channel's name (on failure Asterisk may only give the dial string, e.g. {@code PJSIP/…})
 * @param uniqueId the new channel's Uniqueid (the {@code channelId} asked for, or the one the client generated)
 * @param hangup   on failure, how the channel ended: its cause (17 busy, 19 no answer, 21 rejected...) and the SIP
 *                 code (486, 603...), exactly what Asterisk reports for the callee's final response; null on success,
 *                 or when Asterisk made no channel (an unknown endpoint) or its hangup event did not come within 1 s
 */
public record OriginateResult(boolean success, OriginateReason reason, String channel, String uniqueId,
                              HangupInfo hangup) {
}
