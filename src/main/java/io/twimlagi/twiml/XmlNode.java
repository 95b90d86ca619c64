package io.twimlagi.twiml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parser's generic tree (built by {@link XmlTree}, read by the verb readers): elements and text runs. */
sealed interface XmlNode permits XmlNode.Element, XmlNode.Text {

    /** A run of character data with the line it ends on (StAX reports the end). */
    record Text(String text, int line) implements XmlNode {}

    /** An element as written: name (with prefix), attributes in document order, children, start-tag line. */
    final class Element implements XmlNode {
        final String name;
        final Map<String, String> attrs = new LinkedHashMap<>();
        final List<XmlNode> kids = new ArrayList<>();
        final int line;

        Element(String name, int line) {
            this.name = name;
            this.line = line;
        }

        /** The element's own text (direct text children joined), trimmed. */
        String text() {
            StringBuilder sb = new StringBuilder();
            for (XmlNode k : kids) if (k instanceof Text t) sb.append(t.text());
            return sb.toString().trim();
        }
    }
}
