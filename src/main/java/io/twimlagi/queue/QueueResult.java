package io.twimlagi.queue;

/** Why a caller left its queue: Twilio's {@code QueueResult}, sent to the {@code <Enqueue>} action. */
public enum QueueResult {
    /** Dequeued by an agent's {@code <Dial><Queue>} and bridged; the action comes after the bridge ends. */
    BRIDGED("bridged"),
    /** Dequeued by an agent, but the caller hung up before the bridge was up (during the Queue's url document). */
    BRIDGING_IN_PROCESS("bridging-in-process"),
    /** Bridged, then taken out of the bridge by a live update of the call (REST {@code Calls/{Sid}.json}). */
    REDIRECTED_FROM_BRIDGED("redirected-from-bridged"),
    /** The queue was full: the caller never entered it. */
    QUEUE_FULL("queue-full"),
    /** The Enqueue could not run (no queue name, too long a name, {@code workflowSid}, too many queues). */
    ERROR("error"),
    /** The caller hung up while waiting. */
    HANGUP("hangup"),
    /** A {@code <Leave>} in the wait document. */
    LEAVE("leave"),
    /** Taken out of the queue by the REST API (a Members update, or a live update of the call). */
    REDIRECTED("redirected"),
    /** The server is stopping (SIGTERM): every waiting caller leaves at once. */
    SYSTEM_SHUTDOWN("system-shutdown");

    /** Twilio's word. */
    public final String value;

    QueueResult(String value) {
        this.value = value;
    }
}
