package io.twimlagi.twiml;

import java.util.List;
import java.util.Map;

/**
 * An element kept without typing: Dial's Application/Sim/WhatsApp, Connect's Conversation/Assistant/AiSession,
 * children of ConversationRelay (Language, Parameter), etc.
 *
 * @param name       element name
 * @param attributes all attributes as written, in document order
 * @param text       trimmed text content ("" when none)
 * @param children   child elements
 */
public record GenericNoun(String name, Map<String, String> attributes, String text, List<GenericNoun> children, int line)
        implements DialNoun, MediaNoun {
    public GenericNoun {
        attributes = Imm.map(attributes);
        children = List.copyOf(children);
        text = text == null ? "" : text;
    }
}
