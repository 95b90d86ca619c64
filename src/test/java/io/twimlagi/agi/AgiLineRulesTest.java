package io.twimlagi.agi;

import io.twimlagi.agi.AsteriskParsing.AppArg;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fuzz test's checker checked: Asterisk's two parsers as written out in {@link AsteriskParsing} (expected
 * values worked out from res_agi.c {@code parse_args} and app.c {@code __ast_app_separate_args}), and
 * {@link AgiLineRules} accepting what the server sends and catching each kind of unescaped input.
 */
class AgiLineRulesTest {
    static final String MEDIA = "/var/lib/twiml-agi";
    final AgiLineRules rules = new AgiLineRules(MEDIA);

    @Test
    void agiWordsFollowResAgiQuotingAndEscapes() {
        assertEquals(List.of("EXEC", "Dial", "a\\,b c"), AsteriskParsing.agiWords("EXEC \"Dial\" \"a\\\\,b c\""));
        assertEquals(List.of("SET", "VARIABLE", "x", "say \"hi\""),
                AsteriskParsing.agiWords("SET VARIABLE \"x\" \"say \\\"hi\\\"\""));
        assertEquals(List.of("a", "", "b"), AsteriskParsing.agiWords("a \"\" b"));
        assertEquals(List.of("ab c", "d"), AsteriskParsing.agiWords("a\"b c\"\td"), "a quote inside a word");
        assertEquals(List.of("a b"), AsteriskParsing.agiWords("a\\ b"), "an escaped space");
    }

    @Test
    void appArgsFollowAsteriskSeparateArgs() {
        assertEquals(List.of("a,b", "c(d,e)", "f,g", "[h,i]", ""),
                AsteriskParsing.appArgs("a\\,b,c(d,e),\"f,g\",[h,i],", ',').values());
        assertEquals(List.of(new AppArg("a\\,b", "a,b"), new AppArg("c", "c")),
                AsteriskParsing.appArgs("a\\,b,c", ',').args());
        assertEquals(List.of("x(y,z"), AsteriskParsing.appArgs("x(y,z", ',').values(), "an open ( keeps the rest");
        assertEquals(List.of(), AsteriskParsing.appArgs("", ',').values());
        assertTrue(AsteriskParsing.appArgs("abc\\", ',').readsPastTheEnd());
        assertFalse(AsteriskParsing.appArgs("abc\\\\", ',').readsPastTheEnd());
    }

    @Test
    void whatTheServerSendsPasses() {
        for (String line : List.of("ANSWER", "HANGUP", "CHANNEL STATUS", "WAIT FOR DIGIT 5000",
                "STREAM FILE \"" + MEDIA + "/tts/" + "0a".repeat(20) + "\" \"0123456789*#ABCD\"",
                "RECORD FILE \"" + MEDIA + "/recordings/RE" + "0f".repeat(16) + "\" \"wav\" \"#\" 3600000 0 s=5",
                "EXEC \"MSet\" \"TWIML_CALLSID=CA" + "0".repeat(32) + ",TWIML_URL=http://a/x?q=\\\\,\\\\\\\"${x},"
                        + "TWIML_VERB=Say\"",
                "EXEC \"Dial\" \"PJSIP/+1555@trunk&PJSIP/trunk/sip:b@\\\\[::1\\\\],30,gb(twiml-dial-leg^s^1)L(5000)\"",
                "EXEC \"Transfer\" \"PJSIP/<sip:a@b?X-A=%24>\"", "EXEC \"PJSIPHangup\" \"486\"",
                "EXEC \"StopMixMonitor\" \"\"", "GET FULL VARIABLE \"" + AgiDialer.STATUS_EXPRESSION + "\"",
                "GET FULL VARIABLE \"${CHANNEL(pjsip,call-id)}" + InviteReader.SEP + "${PJSIP_HEADER(read,X-*,1)}\"",
                "SET VARIABLE \"PJSIP_INHERITABLE_HEADER(add,X-A)\" \"${SHELL(id)} stays text\"",
                "SET VARIABLE \"CONFBRIDGE(bridge,record_command)\" \"f=/r/RE1;/bin/mv $f.part.wav $f.wav\"")) {
            assertEquals(List.of(), rules.check(line), line);
        }
    }

    @Test
    void everyKindOfUnescapedInputIsCaught() {
        String sid = "TWIML_CALLSID=CA" + "0".repeat(32);
        for (String line : List.of(
                "EXEC \"MSet\" \"" + sid + ",TWIML_URL=http://a/x,y,TWIML_VERB=Say\"",  // a comma splits
                "EXEC \"MSet\" \"" + sid + ",TWIML_URL=http://a/(x,TWIML_VERB=Say\"",   // a ( swallows the rest
                "EXEC \"MSet\" \"" + sid + ",TWIML_URL=a\\\\\",TWIML_VERB=Say\"",      // a trailing \ escapes ,
                "EXEC \"SendDTMF\" \"12\\\"3\"",                                         // a quote vanishes
                "EXEC \"Dial\" \"PJSIP/a@trunk&evil,30,gb(twiml-dial-leg^s^1)L(5000)\"",  // & from input
                "EXEC \"Dial\" \"PJSIP/a@trunk,30,gb(twiml-dial-leg^s^1)L(5000),x\"",     // a fourth argument
                "EXEC \"Transfer\" \"PJSIP/<sip:a@b;x=(1)>\"",                            // unescaped ( )
                "EXEC \"System\" \"id\"",                                                   // not our application
                "EXEC \"MSet\" \"x\\",                                                      // Asterisk reads past
                "GET FULL VARIABLE \"${SHELL(id)}\"", "GET FULL VARIABLE \"$[1+1]\"",       // expressions
                "GET FULL VARIABLE \"${CHANNEL(pjsip,call-id)}x\"",                        // text beside them
                "SET VARIABLE \"SHELL(id)\" \"x\"",                                         // a function write
                "SET VARIABLE \"CALLERID(num)\" \"${SHELL(id)}\"",                          // not a number
                "SET VARIABLE \"CONFBRIDGE(bridge,record_command)\" \"${SHELL(id)}\"",
                "STREAM FILE \"/etc/passwd\" \"\"", "STREAM FILE \"" + MEDIA + "/../x\" \"\"",
                "RECORD FILE \"/tmp/x\" \"wav\" \"#\" 1000 0 s=1",
                "ANSWER\r", "HANGUP\u0000EXEC System(id)", "NOOP \u2028",                // one command only
                "SET VARIABLE \"TWIML_DIAL_LEGS\" \"\" extra",                             // a word too many
                "EXEC \"MSet\" \"" + sid + ",TWIML_URL=" + "a".repeat(8000) + ",TWIML_VERB=Say\"")) {
            assertFalse(rules.check(line).isEmpty(), "not caught: " + line);
        }
    }
}
