package io.twimlagi.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class PrintableTest {
    @Test
    void controlCharactersAreEscapedSoThatNoLogLineCanBeForged() {
        assertEquals("bot\\n2026-12-03T11:00:00.000 ERROR [main] forged\\r\\u001b[2J\\u0085\\u2028\\u007f",
                Printable.of("bot\n2026-12-03T11:00:00.000 ERROR [main] forged\r\u001b[2J\u0085\u2028\u007f"));
    }

    @Test
    void plainTextIsUnchangedAndLongTextCut() {
        String plain = "my-stream é ü 名前";
        assertSame(plain, Printable.of(plain));
        assertEquals("x".repeat(Printable.MAX_CHARS) + "…", Printable.of("x".repeat(10_000)));
        assertEquals("null", Printable.of(null));
    }

    @Test
    void bidiOverridesAndZeroWidthCharactersAreEscapedSoThatNoTextIsReorderedOrHidden() {
        assertEquals("ok\\u202egnp.exe \\u2066x\\u2069 a\\u200bb \\ufeff",
                Printable.of("ok\u202egnp.exe \u2066x\u2069 a\u200bb \ufeff"));
        String emoji = "talk \uD83D\uDE00";
        assertSame(emoji, Printable.of(emoji));
        assertEquals("lone \\ud83d.", Printable.of("lone \uD83D."));
        String cut = "x".repeat(Printable.MAX_CHARS - 1) + "\uD83D\uDE00";
        assertEquals("x".repeat(Printable.MAX_CHARS - 1) + "…", Printable.of(cut), "a pair is never cut in half");
    }
}
