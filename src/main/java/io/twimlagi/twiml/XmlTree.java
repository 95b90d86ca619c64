package io.twimlagi.twiml;

import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Bytes → {@link XmlNode.Element} tree, securely: the JDK's own StAX with DTDs and external entities off, a resolver
 * that refuses everything, the body size and nesting depth bounded (see {@link TwimlParser} for the rules).
 */
final class XmlTree {
    private final Problems problems;
    /** Lines skipped with the leading whitespace (added back to every line StAX reports). */
    private int lineOffset;

    private XmlTree(Problems problems) {
        this.problems = problems;
    }

    /** The root element of {@code body}; every fatal problem is recorded in {@code problems} and thrown. */
    static XmlNode.Element read(byte[] body, Problems problems) throws Problems.Fatal {
        if (body.length > TwimlParser.MAX_BODY_BYTES) {
            throw problems.fatal(0, TwimlParser.E_TOO_LARGE, "response body is " + body.length
                    + " bytes, over the 64 kB limit (" + TwimlParser.MAX_BODY_BYTES + " bytes)");
        }
        return new XmlTree(problems).tree(body);
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
        try {
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        } catch (IllegalArgumentException ignored) {
            // not supported by this implementation; DTDs are refused anyway
        }
        f.setXMLResolver((publicId, systemId, baseUri, ns) -> {
            throw new XMLStreamException("external resource refused: " + systemId);
        });
        return f;
    }

    /** Where the XML starts: after whitespace before {@code <?xml} (accepted with a warning, unlike Twilio). */
    private int skipLeadingWhitespace(byte[] b) {
        int i = 0;
        if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) i = 3;
        int bom = i;
        int newlines = 0;
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
            if (b[i] == '\n') newlines++;
            i++;
        }
        if (i > bom && i + 5 <= b.length && b[i] == '<' && b[i + 1] == '?' && b[i + 2] == 'x' && b[i + 3] == 'm'
                && b[i + 4] == 'l') {
            problems.warn(1, TwimlParser.E_PARSE,
                    "whitespace before the XML declaration (fatal on Twilio; accepted here)");
            lineOffset = newlines;
            return i;
        }
        return 0;
    }

    private int line(XMLStreamReader r) {
        Location l = r.getLocation();
        return (l == null ? 0 : Math.max(l.getLineNumber(), 0)) + lineOffset;
    }

    private XmlNode.Element tree(byte[] body) throws Problems.Fatal {
        int start = skipLeadingWhitespace(body);
        XMLStreamReader r = null;
        Deque<XmlNode.Element> stack = new ArrayDeque<>();
        XmlNode.Element root = null;
        try {
            r = factory().createXMLStreamReader(new ByteArrayInputStream(body, start, body.length - start));
            while (r.hasNext()) {
                int ev = r.next();
                switch (ev) {
                    case XMLStreamConstants.DTD ->
                            throw problems.fatal(doctypeLine(body, start, line(r)), TwimlParser.E_PARSE,
                                    "DOCTYPE/DTD is not allowed in TwiML (not processed)");
                    case XMLStreamConstants.ENTITY_REFERENCE ->
                            throw problems.fatal(line(r), TwimlParser.E_PARSE,
                                    "entity reference &" + r.getLocalName() + "; is not allowed");
                    case XMLStreamConstants.START_ELEMENT -> {
                        XmlNode.Element e = element(r);
                        if (stack.isEmpty()) {
                            root = e;
                        } else {
                            stack.peek().kids.add(e);
                        }
                        stack.push(e);
                        if (stack.size() > TwimlParser.MAX_DEPTH) {
                            throw problems.fatal(e.line, TwimlParser.E_PARSE,
                                    "elements nested deeper than " + TwimlParser.MAX_DEPTH);
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> stack.pop();
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!stack.isEmpty()) stack.peek().kids.add(new XmlNode.Text(r.getText(), line(r)));
                    }
                    default -> { /* comments, PIs, document start/end */ }
                }
            }
        } catch (XMLStreamException e) {
            int ln = e.getLocation() == null ? 0 : Math.max(e.getLocation().getLineNumber(), 0) + lineOffset;
            throw problems.fatal(ln, TwimlParser.E_PARSE, "document parse failure: " + cleanMessage(e.getMessage()));
        } catch (RuntimeException e) {
            throw problems.fatal(0, TwimlParser.E_PARSE, "document parse failure: " + e.getMessage());
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release
                }
            }
        }
        if (root == null) throw problems.fatal(0, TwimlParser.E_PARSE, "document parse failure: no root element");
        return root;
    }

    /** The element at a START_ELEMENT event; names keep their prefix ({@code amazon:effect}), case as written. */
    private XmlNode.Element element(XMLStreamReader r) {
        String prefix = r.getPrefix();
        String name = prefix == null || prefix.isEmpty() ? r.getLocalName() : prefix + ":" + r.getLocalName();
        XmlNode.Element e = new XmlNode.Element(name, line(r));
        for (int i = 0; i < r.getAttributeCount(); i++) {
            String ap = r.getAttributePrefix(i);
            String an = ap == null || ap.isEmpty() ? r.getAttributeLocalName(i) : ap + ":" + r.getAttributeLocalName(i);
            e.attrs.put(an, r.getAttributeValue(i));
        }
        return e;
    }

    /** Line of the {@code <!DOCTYPE} keyword (the StAX location is at the end of the declaration). */
    private int doctypeLine(byte[] b, int start, int fallback) {
        int line = 1 + lineOffset;
        for (int i = start; i + 9 <= b.length; i++) {
            if (b[i] == '\n') line++;
            if (b[i] == '<' && b[i + 1] == '!' && b[i + 2] == 'D' && b[i + 3] == 'O' && b[i + 4] == 'C') return line;
        }
        return fallback;
    }

    private static String cleanMessage(String m) {
        if (m == null) return "not well-formed";
        int i = m.indexOf("Message: ");
        String s = i >= 0 ? m.substring(i + 9) : m;
        return s.replaceAll("\\s+", " ").trim();
    }
}
