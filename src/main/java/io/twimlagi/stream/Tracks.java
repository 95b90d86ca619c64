package io.twimlagi.stream;

import java.util.List;

/** {@code <Stream track>}: which sides of the call a stream carries, and how the {@code start} message names them. */
enum Tracks {
    INBOUND("inbound_track", List.of("inbound")),
    OUTBOUND("outbound_track", List.of("outbound")),
    BOTH("both_tracks", List.of("inbound", "outbound"));

    final String attribute;
    final List<String> names;

    Tracks(String attribute, List<String> names) {
        this.attribute = attribute;
        this.names = names;
    }

    boolean inbound() {
        return this != OUTBOUND;
    }

    boolean outbound() {
        return this != INBOUND;
    }

    /** The attribute's value (the parser already replaced an unknown one by the default). */
    static Tracks of(String attribute) {
        for (Tracks t : values()) {
            if (t.attribute.equals(attribute)) return t;
        }
        return INBOUND;
    }
}
