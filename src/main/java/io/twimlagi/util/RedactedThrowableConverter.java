package io.twimlagi.util;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/** {@code %redactedEx} in logback.xml: stack traces with URL passwords hidden ({@link Redaction}). */
public final class RedactedThrowableConverter extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
        return Redaction.redact(super.throwableProxyToString(tp));
    }
}
