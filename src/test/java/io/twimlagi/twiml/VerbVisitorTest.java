package io.twimlagi.twiml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class VerbVisitorTest {
    /** One document with every verb Twilio has, in Verb's permits order. */
    private static final String EVERY_VERB = "<Response><Say>a</Say><Play>a.wav</Play><Pause/><Gather/><Record/>"
            + "<Dial>123</Dial><Hangup/><Redirect>/x</Redirect><Reject/><Refer><Sip>sip:a@b</Sip></Refer>"
            + "<Enqueue>q</Enqueue><Leave/><Connect/><Start/><Stop/><Pay/><Sms>t</Sms><Echo/></Response>";

    @Test
    void everyPermittedVerbHasItsOwnVisitorMethod() {
        Set<Class<?>> visited = Arrays.stream(VerbVisitor.class.getMethods())
                .map(m -> m.getParameterTypes()[0]).collect(Collectors.toSet());
        assertEquals(Set.of(Verb.class.getPermittedSubclasses()), visited);
        assertEquals(Verb.class.getPermittedSubclasses().length, VerbVisitor.class.getMethods().length);
    }

    @Test
    void acceptCallsTheMethodOfTheVerbsOwnType() throws Exception {
        List<Verb> verbs = TwimlParser.parse(TwimlTestSupport.bytes(EVERY_VERB)).verbs();
        assertEquals(Verb.class.getPermittedSubclasses().length, verbs.size());
        @SuppressWarnings("unchecked")
        VerbVisitor<String> names = (VerbVisitor<String>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{VerbVisitor.class}, (proxy, m, args) -> visited(m, args[0]));
        for (Verb v : verbs) assertEquals(v.name(), v.accept(names));
    }

    /** "Say" for visitSay called with a Say; the called method and the argument's type must agree. */
    private static String visited(Method m, Object verb) {
        assertEquals(m.getParameterTypes()[0], verb.getClass());
        return m.getName().substring("visit".length());
    }
}
