package io.twimlagi.call;

/**
 * The one view of a live SIP call the engine and the verb executors have, split by concern: {@link CallControl}
 * (answer, reject, hang up, interrupt), {@link CallMedia} (audio and keys), {@link CallBridging} (Dial,
 * conference, transfer) and {@link CallStreaming} (Media Streams). {@code AgiCall} implements it over FastAGI;
 * tests use an in-memory fake. Every method throws {@link CallGoneException} once the caller has hung up.
 */
public interface Call extends CallControl, CallMedia, CallBridging, CallStreaming {
}
