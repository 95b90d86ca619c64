package io.twimlagi.twiml;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One parse: the problems found so far and what every reader shares (attribute access, allowed children, the verb
 * dispatch). Each verb and noun is read by its own {@code *Reader} beside its record.
 */
final class ParseRun {
    static final Set<String> VERBS = Set.of("Say", "Play", "Pause", "Gather", "Record", "Dial", "Hangup", "Redirect",
            "Reject", "Refer", "Enqueue", "Leave", "Connect", "Start", "Stop", "Pay", "Sms", "Echo");
    static final Set<String> NOUNS = Set.of("Number", "Sip", "Client", "Conference", "Queue", "Application",
            "ApplicationSid", "Sim", "WhatsApp", "Identity", "Parameter", "Uri", "Headers", "Header", "Task", "Stream",
            "Siprec", "Transcription", "Recording", "Room", "ConversationRelay", "VirtualAgent", "Conversation",
            "Assistant", "AiSession", "Language", "Config", "Prompt", "Response");
    /** {@code recordingStatusCallbackEvent} values. */
    static final String[] RECORDING_EVENTS = {"in-progress", "completed", "absent"};
    /** {@code statusCallbackEvent} values of Dial's Number, Sip and Client. */
    static final String[] CALL_EVENTS = {"initiated", "ringing", "answered", "completed"};

    final Problems problems = new Problems();

    /** The verbs of {@code body}; on a fatal problem none (the problem is in {@link #problems}). */
    List<Verb> run(byte[] body) {
        try {
            XmlNode.Element root = XmlTree.read(body == null ? new byte[0] : body, problems);
            if (!"Response".equals(root.name)) {
                throw problems.fatal(root.line, TwimlParser.E_ROOT,
                        "root element must be <Response>, found <" + root.name + ">");
            }
            return response(root);
        } catch (Problems.Fatal f) {
            return List.of();
        }
    }

    private List<Verb> response(XmlNode.Element root) {
        attributes(root);
        List<Verb> verbs = new ArrayList<>();
        for (XmlNode k : root.kids) {
            if (k instanceof XmlNode.Text t) {
                if (!t.text().isBlank()) {
                    warn(t.line(), TwimlParser.W_SCHEMA, "text directly inside <Response> is ignored");
                }
            } else {
                Verb v = verb((XmlNode.Element) k);
                if (v != null) verbs.add(v);
            }
        }
        return verbs;
    }

    /** The verb {@code e} is, or null (warned) when it is no verb. */
    private Verb verb(XmlNode.Element e) {
        return switch (e.name) {
            case "Say" -> SayReader.read(this, e, false);
            case "Play" -> PlayReader.read(this, e);
            case "Pause" -> PauseReader.read(this, e);
            case "Gather" -> GatherReader.read(this, e);
            case "Record" -> RecordReader.read(this, e);
            case "Dial" -> DialReader.read(this, e);
            case "Hangup" -> HangupReader.read(this, e);
            case "Redirect" -> RedirectReader.read(this, e);
            case "Reject" -> RejectReader.read(this, e);
            case "Refer" -> ReferReader.read(this, e);
            case "Enqueue" -> EnqueueReader.read(this, e);
            case "Leave" -> LeaveReader.read(this, e);
            case "Echo" -> EchoReader.read(this, e);
            case "Connect" -> ConnectReader.read(this, e);
            case "Start" -> StartReader.read(this, e);
            case "Stop" -> StopReader.read(this, e);
            case "Pay" -> PayReader.read(this, e);
            case "Sms" -> SmsReader.read(this, e);
            default -> {
                misplaced(e, "Response", TwimlParser.W_SCHEMA);
                yield null;
            }
        };
    }

    void warn(int line, int code, String message) {
        problems.warn(line, code, message);
    }

    /** The attributes of {@code e}, warning about any not in {@code known}. */
    Attributes attributes(XmlNode.Element e, String... known) {
        return new Attributes(e, problems, known);
    }

    /** Warns about {@code e} where it is not allowed: {@code code} for a TwiML element, 12200 for an unknown one. */
    void misplaced(XmlNode.Element e, String parent, int code) {
        if (VERBS.contains(e.name) || NOUNS.contains(e.name)) {
            warn(e.line, code, "<" + e.name + "> is not allowed inside <" + parent + "> (skipped)");
        } else {
            warn(e.line, TwimlParser.W_SCHEMA, "unknown element <" + e.name + "> inside <" + parent + "> (skipped)");
        }
    }

    /** Warns about stray text (unless allowed) and child elements not in {@code allowed}; returns the allowed ones. */
    List<XmlNode.Element> content(XmlNode.Element e, boolean textAllowed, String... allowed) {
        Set<String> ok = Set.of(allowed);
        List<XmlNode.Element> out = new ArrayList<>();
        for (XmlNode k : e.kids) {
            if (k instanceof XmlNode.Text t) {
                if (!textAllowed && !t.text().isBlank()) {
                    warn(t.line(), TwimlParser.W_SCHEMA, "text inside <" + e.name + "> is ignored");
                }
            } else {
                XmlNode.Element c = (XmlNode.Element) k;
                if (ok.contains(c.name)) out.add(c);
                else misplaced(c, e.name, TwimlParser.W_SCHEMA);
            }
        }
        return out;
    }

    /** {@code <Parameter name value/>}. */
    Parameter parameter(XmlNode.Element e) {
        Attributes a = attributes(e, "name", "value");
        content(e, false);
        return new Parameter(a.s("name"), a.s("value"), e.line);
    }

    /** The {@code <Parameter>} children of {@code e} (anything else warned). */
    List<Parameter> parameters(XmlNode.Element e) {
        List<Parameter> ps = new ArrayList<>();
        for (XmlNode.Element c : content(e, false, "Parameter")) ps.add(parameter(c));
        return ps;
    }

    /** {@code e} and its children kept untyped. */
    static GenericNoun generic(XmlNode.Element e) {
        List<GenericNoun> kids = new ArrayList<>();
        for (XmlNode k : e.kids) if (k instanceof XmlNode.Element c) kids.add(generic(c));
        return new GenericNoun(e.name, e.attrs, e.text(), kids, e.line);
    }
}
