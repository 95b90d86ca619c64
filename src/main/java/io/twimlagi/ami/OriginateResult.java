package io.twimlagi.ami;

/**
 * How an {@link Originate} ended: Asterisk's {@code OriginateResponse} event.
 *
 * @param success  true when the new channel was answered and went on into the dialplan or application
 * @param reason   Asterisk's reason (see {@link OriginateReason})
 * @param channel  the channel's name (on failure Asterisk may only give the dial string, e.g. {@code PJSIP/…})
 * @param uniqueId the new channel's Uniqueid; on failure the {@code channelId} asked for, or null when none was
 */
public record OriginateResult(boolean success, OriginateReason reason, String channel, String uniqueId) {
}
