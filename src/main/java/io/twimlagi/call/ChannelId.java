package io.twimlagi.call;

/** Asterisk's names for a call's channel: its channel name ({@code PJSIP/sipp-00000001}) and unique id. */
public record ChannelId(String name, String uniqueId) {
    /** A call with no Asterisk channel (tests). */
    public static final ChannelId NONE = new ChannelId("", "");
}
