package io.twimlagi.twiml;

import java.time.Duration;

/** A piece of {@code <Say>} content: spoken text or an SSML {@code <break>}. */
public sealed interface SayPart permits SayPart.Text, SayPart.Break {

    /** Text to speak (whitespace collapsed). Content of SSML tags other than break is kept as plain text. */
    record Text(String text) implements SayPart {}

    /**
     * An SSML pause. {@code time="500ms"|"2s"} is used as given; without time, {@code strength} maps to
     * none=0, x-weak=100ms, weak=250ms, medium(default)=500ms, strong=750ms, x-strong=1s.
     */
    record Break(Duration duration) implements SayPart {}
}
