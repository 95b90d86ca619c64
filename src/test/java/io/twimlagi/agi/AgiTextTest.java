package io.twimlagi.agi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AgiTextTest {
    @Test
    void removesEveryControlCharacter() {
        assertEquals("abcEXEC System rm", AgiText.clean("a\rb\nc\u0000EXEC System rm"));
        assertEquals("tab gone", AgiText.clean("tab\t gone"));
        assertEquals("x", AgiText.clean("x\u0085\u2028\u007f"));
        assertEquals("unchanged é ü", AgiText.clean("unchanged é ü"));
    }

    @Test
    void escapesApplicationArgumentSeparators() {
        assertEquals("1\\,2\\(3\\)\\[x\\]\\\"q\\\"\\\\\\|", AgiText.appArg("1,2(3)[x]\"q\"\\|"));
        assertEquals("123#", AgiText.appArg("123#\n"));
    }

    @Test
    void truncatesToWholeCharacters() {
        assertEquals("ab", AgiText.truncate("abc", 2));
        assertEquals("abc", AgiText.truncate("abc", 5));
        assertEquals("a", AgiText.truncate("a\ud83d\ude00", 2), "not half an emoji");
        assertEquals("a\ud83d\ude00", AgiText.truncate("a\ud83d\ude00b", 3));
    }

    @Test
    void refusesCommandsThatWouldBeSplitByAsterisk() {
        assertThrows(IllegalArgumentException.class, () -> AgiText.checkLength("EXEC x " + "a".repeat(8000)));
        assertEquals("EXEC Wait 1", AgiText.checkLength("EXEC Wait 1"));
    }
}
