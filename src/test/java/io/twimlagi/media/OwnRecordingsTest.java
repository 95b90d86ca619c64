package io.twimlagi.media;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OwnRecordingsTest {
    static final String ACCOUNT = "AC" + "01".repeat(16);
    static final String SID = "RE" + "ab".repeat(16);
    final OwnRecordings own = new OwnRecordings("https://pbx.example.com/twiml", ACCOUNT, "token");

    @Test
    void exactlyOurRecordingPathsAfterNormalising() {
        String base = "https://pbx.example.com/twiml";
        for (String url : new String[]{base + "/Recordings/" + SID, base + "/Recordings/" + SID + ".mp3",
                base + "/Recordings/" + SID + ".wav?x=1", base + "/x/../Recordings/" + SID,
                base + "/2010-04-01/Accounts/" + ACCOUNT + "/Recordings/" + SID,
                "HTTPS://PBX.example.com:443/twiml/Recordings/" + SID}) {
            assertEquals(Optional.of(SID), own.recordingSid(url), url);
        }
        for (String url : new String[]{base + "/metrics", base + "/realtime/ps_auths/single?id=x",
                base + "/Recordings/" + SID + "/../../metrics", base + "/Recordings/%2e%2e/metrics",
                base + "/Recordings/" + SID + "%2F..%2Fmetrics", base + "/Recordings%2F" + SID,
                base + "/Recordings/" + SID + ".txt", base + "/Recordings/RE123",
                base + "/2010-04-01/Accounts/AC" + "ff".repeat(16) + "/Recordings/" + SID,
                "https://pbx.example.com/Recordings/" + SID, "http://pbx.example.com/twiml/Recordings/" + SID,
                "https://pbx.example.com:8443/twiml/Recordings/" + SID,
                "https://evil.example.com/twiml/Recordings/" + SID,
                "https://u:p@pbx.example.com/twiml/Recordings/" + SID, "file:///twiml/Recordings/" + SID}) {
            assertEquals(Optional.empty(), own.recordingSid(url), url);
        }
    }
}
