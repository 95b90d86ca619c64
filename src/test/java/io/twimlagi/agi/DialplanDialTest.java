package io.twimlagi.agi;

import io.twimlagi.ami.Originate;
import io.twimlagi.call.DialLeg;
import io.twimlagi.call.DialRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A REST call's Dial as channel variables of its Originate: what Asterisk makes of them, through both of its
 * parsers (the manager's Variable header, then Dial's arguments), with hostile To, From and header values.
 */
class DialplanDialTest {
    static final String SID = "CA" + "0123456789abcdef".repeat(2);

    static DialRequest request(String dialString, Map<String, String> headers, String callerId) {
        return new DialRequest(List.of(new DialLeg(dialString, headers, true)), Duration.ofSeconds(20),
                Duration.ofSeconds(60), callerId, false, null, null, null, null);
    }

    /** The Originate as the server builds it (ami/Originate, up to VALUE_PARTS lines a value). */
    static Originate originate(Map<String, String> variables) {
        Originate o = Originate.toExtension("Local/" + SID + "@twiml-outbound-dial", "twiml-outbound", SID, 1);
        for (Map.Entry<String, String> v : variables.entrySet()) {
            o = o.withVariableParts(v.getKey(), v.getValue(), DialplanDial.VALUE_PARTS);
        }
        return o;
    }

    /**
     * What the channel gets: each {@code Variable: NAME=value} header split by Asterisk's manager
     * (man_do_variable_value: AST_STANDARD_APP_ARGS, then NAME=value at the first '='), then the parts of each
     * value joined as the dialplan joins them ({@code ${X}${X_2}${X_3}${X_4}}).
     */
    static Map<String, String> asteriskSees(Originate o) {
        Map<String, String> channel = new LinkedHashMap<>();
        o.wireVariables().forEach((name, wire) -> {
            assertTrue(("Variable: " + name + "=" + wire).getBytes(StandardCharsets.UTF_8).length <= 1000,
                    "one AMI line");
            AsteriskParsing.AppArgs args = AsteriskParsing.appArgs(name + "=" + wire, ',');
            assertFalse(args.readsPastTheEnd());
            assertEquals(1, args.values().size(), "one variable per header, not " + args.values());
            String item = args.values().get(0);
            channel.put(item.substring(0, item.indexOf('=')), item.substring(item.indexOf('=') + 1));
        });
        Map<String, String> joined = new LinkedHashMap<>();
        channel.forEach((name, value) -> {
            if (name.matches(".*_[234]") && channel.containsKey(name.substring(0, name.length() - 2))) return;
            joined.put(name, value + channel.getOrDefault(name + "_2", "") + channel.getOrDefault(name + "_3", "")
                    + channel.getOrDefault(name + "_4", ""));
        });
        return joined;
    }

    @Test
    void hostileHeaderValuesReachTheChannelAsTextAndNothingElse() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Comma", "a,TWIML_DIAL=Local/evil@default");
        headers.put("X-Parens", "x)(y],[\"q\\");
        headers.put("X-Expr", "${SHELL(id)}$[1+1]|;");
        headers.put("X-Crlf", "v\r\nAction: Command\r\nCommand: core stop now");
        Map<String, String> v = DialplanDial.variables(SID, request("PJSIP/trunk/sip:bob@[::1]:5090", headers,
                "+15550001234"));
        Map<String, String> seen = asteriskSees(originate(v));
        assertEquals("a,TWIML_DIAL=Local/evil@default", seen.get("TWIML_HEADER_1"));
        assertEquals("x)(y],[\"q\\", seen.get("TWIML_HEADER_2"));
        assertEquals("${SHELL(id)}$[1+1]|;", seen.get("TWIML_HEADER_3"),
                "text only: the dialplan uses it as ${TWIML_HEADER_3}, never evaluated again");
        assertEquals("vAction: CommandCommand: core stop now", seen.get("TWIML_HEADER_4"), "no CR/LF left");
        assertEquals(List.of("X-Comma", "X-Parens", "X-Expr", "X-Crlf"), List.of(seen.get("TWIML_HEADER_NAME_1"),
                seen.get("TWIML_HEADER_NAME_2"), seen.get("TWIML_HEADER_NAME_3"), seen.get("TWIML_HEADER_NAME_4")));
        assertEquals("4", seen.get("TWIML_HEADERS"));
        assertEquals(SID, seen.get("TWIML_CALL_SID"));
        assertEquals("+15550001234", seen.get("TWIML_CALLER_ID"));
        assertFalse(seen.containsKey("Local/evil@default"));
        assertEquals(v.keySet(), seen.keySet(), "exactly the variables sent, none injected");
        // Dial(${TWIML_DIAL}): Dial splits its data as EXEC Dial's: the callee, the timeout, the options
        List<String> dial = AsteriskParsing.appArgs(seen.get("TWIML_DIAL"), ',').values();
        assertEquals(List.of("PJSIP/trunk/sip:bob@[::1]:5090", "20", "gb(twiml-dial-leg^s^1)L(60000)"), dial);
    }

    @Test
    void longValuesTravelInPartsThatJoinBackExactly() {
        String value = ",(\"\\é".repeat(200); // 1,000 characters, nearly all escaped: about 1,800 bytes on the wire
        Map<String, String> v = DialplanDial.variables(SID, request("PJSIP/trunk/sip:bob@h", Map.of("X-Long", value),
                "alice"));
        Originate o = originate(v);
        assertTrue(o.variables().containsKey("TWIML_HEADER_1_2"), "split: " + o.variables().keySet());
        assertFalse(o.variables().containsKey("TWIML_DIAL_2"), "a short value stays one variable");
        assertEquals(value, asteriskSees(o).get("TWIML_HEADER_1"));
    }

    @Test
    void aValueTooLongForFourLinesIsRefusedBeforeAnythingIsSent() {
        String value = ",".repeat(2000); // 4,000 bytes escaped
        Map<String, String> v = DialplanDial.variables(SID, request("PJSIP/trunk/sip:bob@h", Map.of("X-Long", value),
                "alice"));
        assertThrows(IllegalArgumentException.class, () -> originate(v));
    }

    @Test
    void refusesWhatAgiDialerRefuses() {
        assertThrows(IllegalArgumentException.class, () -> DialplanDial.variables(SID,
                request("PJSIP/trunk/sip:bob@h", Map.of("X-Bad Name", "v"), "alice")));
        assertThrows(IllegalArgumentException.class, () -> DialplanDial.variables(SID,
                request("PJSIP/a&PJSIP/b", Map.of(), "alice")));
        assertThrows(IllegalArgumentException.class, () -> DialplanDial.variables("CA1,x", request("PJSIP/a",
                Map.of(), "alice")));
        assertThrows(NullPointerException.class, () -> DialplanDial.variables(SID, request("PJSIP/a", Map.of(),
                null)));
    }

    @Test
    void theDialIsTheSameStringAgiDialerExecs() {
        DialRequest r = new DialRequest(List.of(new DialLeg("PJSIP/trunk/sip:a,b@h", Map.of(), true)),
                Duration.ofSeconds(7), Duration.ofSeconds(30), "alice", false, null, null, null, SID);
        assertEquals(AgiDialer.dialArgs(r), DialplanDial.variables(SID, r).get(DialplanDial.DIAL));
        assertEquals(List.of("PJSIP/trunk/sip:a,b@h", "7", "gb(twiml-dial-leg^watch^1(" + SID + "))L(30000)"),
                AsteriskParsing.appArgs(asteriskSees(originate(DialplanDial.variables(SID, r))).get("TWIML_DIAL"),
                        ',').values());
    }
}
