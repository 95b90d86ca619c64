package io.twimlagi.twiml;

/** What {@code <Dial>} can dial. {@link GenericNoun} covers Application, Sim and WhatsApp (kept, not typed). */
public sealed interface DialNoun permits Number, Sip, Client, Conference, Queue, GenericNoun {
    int line();
}
