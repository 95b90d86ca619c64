package io.twimlagi.twiml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

final class TwimlTestSupport {
    private TwimlTestSupport() {}

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Document doc(String responseBody) throws TwimlException {
        return TwimlParser.parse(bytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>" + responseBody
                + "</Response>"));
    }

    @SuppressWarnings("unchecked")
    static <T extends Verb> T only(String responseBody, Class<T> type) throws TwimlException {
        Document d = doc(responseBody);
        assertEquals(1, d.verbs().size(), () -> "verbs: " + d.verbs());
        assertTrue(type.isInstance(d.verbs().get(0)), () -> "got " + d.verbs().get(0));
        return (T) d.verbs().get(0);
    }

    static List<Integer> codes(List<Problem> ps) {
        return ps.stream().map(Problem::code).collect(Collectors.toList());
    }

    static List<Integer> warningCodes(String responseBody) throws TwimlException {
        return codes(doc(responseBody).warnings());
    }
}
