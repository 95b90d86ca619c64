package io.twimlagi.http;

/** 405 for resources that only read. */
final class MethodNotAllowed {
    private MethodNotAllowed() {
    }

    static void send(Exchange x) {
        x.responseHeader("Allow", "GET, HEAD").sendText(405, "method not allowed\n");
    }
}
