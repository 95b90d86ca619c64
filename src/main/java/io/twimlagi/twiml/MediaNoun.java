package io.twimlagi.twiml;

/** Nouns of {@code <Connect>}, {@code <Start>} and {@code <Stop>}. */
public sealed interface MediaNoun
        permits Stream, Siprec, Transcription, Recording, Room, ConversationRelay, VirtualAgent, GenericNoun {
    int line();
}
