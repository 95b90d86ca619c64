package io.twimlagi.ami;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OriginateTest {
    @Test
    void buildsBothFormsWithDefaultsAndKeepsVariableOrder() {
        Originate e = Originate.toExtension("PJSIP/trunk/sip:bob@host", "ctx", "+1555", 1)
                .withVariable("B", "2").withVariable("A", "1=x").withVariable("PJSIP_HEADER(add,X-Tag)", "v");
        assertEquals(Duration.ofSeconds(30), e.timeout());
        assertEquals(List.of("B", "A", "PJSIP_HEADER(add,X-Tag)"), List.copyOf(e.variables().keySet()));
        Originate a = Originate.toApplication("Local/s@ctx", "Wait", null).withChannelIds("id.1", "id.2");
        assertEquals("", a.data());
        assertEquals("id.2", a.otherChannelId());
    }

    @Test
    void refusesWhatWouldBreakOrInjectIntoTheAction() {
        List<Runnable> bad = List.of(
                () -> Originate.toExtension("bob", "ctx", "s", 1),                 // no Tech/
                () -> Originate.toExtension("PJSIP/bob\r\nAction: Command", "ctx", "s", 1),
                () -> Originate.toExtension("PJSIP/bob", "", "s", 1),
                () -> Originate.toExtension("PJSIP/bob", "ctx", "s", 0),
                () -> Originate.toExtension("PJSIP/bob", "ctx", "s\n", 1),
                () -> Originate.toApplication("PJSIP/bob", "Wait(5)", ""),
                () -> Originate.toApplication("PJSIP/bob", "Playback", "a\u0000b"),
                () -> Originate.toExtension("PJSIP/bob", "ctx", "s", 1).withTimeout(Duration.ZERO),
                () -> Originate.toExtension("PJSIP/bob", "ctx", "s", 1).withTimeout(Duration.ofDays(2)),
                () -> Originate.toExtension("PJSIP/bob", "ctx", "s", 1).withCallerId("a\nb"),
                () -> Originate.toExtension("PJSIP/bob", "ctx", "s", 1).withVariable("A=B", "1"),
                () -> Originate.toExtension("PJSIP/bob", "ctx", "s", 1).withVariable("F(a(b))", "1"),
                () -> Originate.toExtension("PJSIP/bob", "ctx", "s", 1).withVariable("A", "1\r\n"),
                () -> Originate.toExtension("PJSIP/bob", "ctx", "s", 1).withChannelIds("a b", null),
                () -> Originate.toExtension("PJSIP/bob", "ctx", "s", 1).withChannelIds("x".repeat(150), null),
                () -> Originate.toExtension("PJSIP/bob", "ctx", "s", 1).withChannelIds(null, "other"),
                () -> new Originate("PJSIP/bob", "ctx", "s", 1, "Wait", "1", Duration.ofSeconds(1), null, Map.of(),
                        null, null));
        for (int i = 0; i < bad.size(); i++) {
            int n = i;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bad.get(n).run(),
                    "case " + i);
            assertTrue(!e.getMessage().contains("\n") && !e.getMessage().contains("\r"), e.getMessage());
        }
    }

    /** Asterisk's manager splits a Variable header at commas (app-argument rules): every special gets a backslash. */
    @Test
    void variableValuesAreEscapedForTheManagersParserOnTheWire() {
        Originate o = Originate.toExtension("Local/s@ctx", "ctx", "s", 1).withVariable("A", "x,B=1(\"q\")[\\]y");
        assertEquals("x,B=1(\"q\")[\\]y", o.variables().get("A"), "the value itself is kept");
        assertEquals("x\\,B=1\\(\\\"q\\\"\\)\\[\\\\\\]y", o.wireVariables().get("A"));
        assertEquals(Map.of("A", "x\\,B=1\\(\\\"q\\\"\\)\\[\\\\\\]y"),
                Originations.action(o).getVariables());
    }

    @Test
    void aVariableLongerThanOneManagerLineOrTooManyAreRefused() {
        Originate base = Originate.toExtension("Local/s@ctx", "ctx", "s", 1);
        base.withVariable("A", "x".repeat(980));
        assertThrows(IllegalArgumentException.class, () -> base.withVariable("A", "x".repeat(1000)));
        assertThrows(IllegalArgumentException.class, () -> base.withVariable("A", ",".repeat(500)),
                "escaped, it is 1,000 bytes");
        Originate many = base;
        for (int i = 0; i < Originate.MAX_VARIABLES; i++) many = many.withVariable("V" + i, "1");
        Originate full = many;
        assertThrows(IllegalArgumentException.class, () -> full.withVariable("ONE_MORE", "1"));
    }

    @Test
    void variablePartsSplitOnlyWhenNeededAndNeverInsideACharacter() {
        Originate base = Originate.toExtension("Local/s@ctx", "ctx", "s", 1);
        assertEquals(Map.of("A", "short"), base.withVariableParts("A", "short", 4).variables());
        String value = "\uD83D\uDE00".repeat(600); // 2,400 bytes of 4-byte characters
        Originate split = base.withVariableParts("A", value, 4);
        assertEquals(List.of("A", "A_2", "A_3"), List.copyOf(split.variables().keySet()));
        assertEquals(value, String.join("", split.variables().values()));
        split.variables().values().forEach(part -> assertTrue(!Character.isLowSurrogate(part.charAt(0))));
        assertThrows(IllegalArgumentException.class, () -> base.withVariableParts("A", value, 2));
    }
}
