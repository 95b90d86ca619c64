package io.twimlagi.records;

import com.twilio.http.HttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.Recording;
import com.twilio.base.Reader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Twilio list parameters a query accepts, checked against what Twilio's own Java SDK sends. */
class CallQueryTest {
    static final String ACCOUNT = "AC" + "0".repeat(32);
    static final String PARENT = "CA" + "1".repeat(32);

    /** Runs {@code reader} against a fake HTTP client and returns the query parameters the SDK sent. */
    private static Map<String, String> sdkParams(Reader<?> reader) {
        Map<String, String> sent = new HashMap<>();
        HttpClient capture = new HttpClient() {
            @Override
            public Response makeRequest(Request request) {
                request.getQueryParams().forEach((k, v) -> sent.put(k, v.get(0)));
                String list = request.getUrl().contains("Recordings") ? "recordings" : "calls";
                return new Response("{\"" + list + "\": [], \"page\": 0, \"page_size\": 50, \"uri\": \"/x\","
                        + " \"first_page_uri\": \"/x\", \"next_page_uri\": null, \"previous_page_uri\": null}", 200);
            }
        };
        reader.firstPage(new TwilioRestClient.Builder(ACCOUNT, "token").httpClient(capture).build());
        return sent;
    }

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void everyCallFilterTheSdkSendsIsUnderstood() {
        ZonedDateTime after = ZonedDateTime.parse("2024-05-01T10:00:00Z");
        ZonedDateTime before = ZonedDateTime.parse("2024-05-02T12:30:15+02:00");
        Map<String, String> sent = sdkParams(Call.reader().setTo("sip:alice@pbx.example.com").setFrom("+15550001")
                .setStatus(Call.Status.NO_ANSWER).setParentCallSid(PARENT)
                .setStartTimeAfter(after).setStartTimeBefore(before)
                .setEndTimeAfter(after).setEndTimeBefore(before));
        assertEquals(Map.of("To", "sip:alice@pbx.example.com", "From", "+15550001", "Status", "no-answer",
                "ParentCallSid", PARENT, "StartTime>", "2024-05-01T10:00:00", "StartTime<", "2024-05-02T10:30:15",
                "EndTime>", "2024-05-01T10:00:00", "EndTime<", "2024-05-02T10:30:15"), sent, "what SDK 10.9 sends");

        CallQuery q = CallQuery.fromTwilio(sent);
        assertEquals("sip:alice@pbx.example.com", q.to());
        assertEquals("+15550001", q.from());
        assertEquals(CallStatus.NO_ANSWER, q.status());
        assertEquals(PARENT, q.parentCallSid());
        TimeRange expected = new TimeRange(at("2024-05-01T10:00:00Z"), at("2024-05-02T10:30:15.001Z"));
        assertEquals(expected, q.startTime(), "after inclusive, before inclusive (to the ms)");
        assertEquals(expected, q.endTime());
    }

    @Test
    void exactStartAndEndTimeFromTheSdkMeanThatUtcDay() {
        Map<String, String> sent = sdkParams(Call.reader()
                .setStartTime(ZonedDateTime.parse("2024-05-02T15:00:00Z"))
                .setEndTime(ZonedDateTime.parse("2024-05-03T00:00:00Z")));
        assertEquals(Map.of("StartTime", "2024-05-02T15:00:00", "EndTime", "2024-05-03T00:00:00"), sent);
        CallQuery q = CallQuery.fromTwilio(sent);
        assertEquals(TimeRange.day(LocalDate.parse("2024-05-02")), q.startTime());
        assertEquals(TimeRange.day(LocalDate.parse("2024-05-03")), q.endTime());
    }

    @Test
    void recordingFiltersTheSdkSendsAreUnderstood() {
        ZonedDateTime t = ZonedDateTime.of(2024, 5, 1, 8, 0, 0, 0, ZoneId.of("UTC"));
        String callSid = "CA" + "2".repeat(32);
        String confSid = "CF" + "3".repeat(32);
        Map<String, String> sent = sdkParams(Recording.reader().setCallSid(callSid).setConferenceSid(confSid)
                .setDateCreatedAfter(t).setDateCreatedBefore(t.plusDays(1)));
        assertEquals(Map.of("CallSid", callSid, "ConferenceSid", confSid, "DateCreated>", "2024-05-01T08:00:00",
                "DateCreated<", "2024-05-02T08:00:00"), sent);
        RecordingQuery q = RecordingQuery.fromTwilio(sent);
        assertEquals(new RecordingQuery(callSid, confSid, new TimeRange(at("2024-05-01T08:00:00Z"),
                at("2024-05-02T08:00:00.001Z"))), q);

        // a call's recordings: Calls/{Sid}/Recordings.json sends dates alone
        Map<String, String> perCall = sdkParams(com.twilio.rest.api.v2010.account.call.Recording.reader(callSid)
                .setDateCreated(LocalDate.parse("2024-05-01")));
        assertEquals(Map.of("DateCreated", "2024-05-01"), perCall);
        assertEquals(TimeRange.day(LocalDate.parse("2024-05-01")), RecordingQuery.fromTwilio(perCall).dateCreated());
        Map<String, String> range = sdkParams(com.twilio.rest.api.v2010.account.call.Recording.reader(callSid)
                .setDateCreatedAfter(LocalDate.parse("2024-05-01")).setDateCreatedBefore(LocalDate.parse("2024-05-03")));
        assertEquals(Map.of("DateCreated>", "2024-05-01", "DateCreated<", "2024-05-03"), range);
        assertEquals(new TimeRange(at("2024-05-01T00:00:00Z"), at("2024-05-03T00:00:00.001Z")),
                RecordingQuery.fromTwilio(range).dateCreated(), "a date alone is its midnight, both bounds inclusive");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // parameter | value                      | from (inclusive)         | until (exclusive)
            "StartTime   | 2024-05-02                 | 2024-05-02T00:00:00Z     | 2024-05-03T00:00:00Z",
            "StartTime   | 2024-05-02T23:59:59        | 2024-05-02T00:00:00Z     | 2024-05-03T00:00:00Z",
            "StartTime   | 2024-05-02T01:00:00+02:00  | 2024-05-01T00:00:00Z     | 2024-05-02T00:00:00Z",
            "StartTime>  | 2024-05-02                 | 2024-05-02T00:00:00Z     |",
            "StartTime>  | 2024-05-02T10:11:12        | 2024-05-02T10:11:12Z     |",
            "StartTime>  | 2024-05-02T10:11:12Z       | 2024-05-02T10:11:12Z     |",
            "StartTime>  | 2024-05-02T10:11:12.5      | 2024-05-02T10:11:12.5Z   |",
            "StartTime<  | 2024-05-02                 |                          | 2024-05-02T00:00:00.001Z",
            "StartTime<  | 2024-05-02T10:11:12-01:00  |                          | 2024-05-02T11:11:12.001Z",
            "EndTime     | 2024-02-29                 | 2024-02-29T00:00:00Z     | 2024-03-01T00:00:00Z",
            "EndTime>    | 2024-05-02                 | 2024-05-02T00:00:00Z     |",
            "EndTime<    | 2024-05-02                 |                          | 2024-05-02T00:00:00.001Z",
    })
    void eachTimeFilterForm(String parameter, String value, String from, String until) {
        CallQuery q = CallQuery.fromTwilio(Map.of(parameter, value));
        TimeRange r = parameter.startsWith("Start") ? q.startTime() : q.endTime();
        assertEquals(new TimeRange(from == null ? null : at(from), until == null ? null : at(until)), r);
        assertTrue((parameter.startsWith("Start") ? q.endTime() : q.startTime()).isAny());
    }

    @Test
    void exactAndInequalitiesCombine() {
        CallQuery q = CallQuery.fromTwilio(Map.of("StartTime", "2024-05-02", "StartTime>", "2024-05-02T12:00:00",
                "StartTime<", "2024-05-04"));
        assertEquals(new TimeRange(at("2024-05-02T12:00:00Z"), at("2024-05-03T00:00:00Z")), q.startTime());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "StartTime   | yesterday",
            "StartTime>  | 2024-13-01",
            "StartTime<  | 2024-05-02 10:00:00",
            "EndTime     | 2024-02-30",
            "EndTime>    | 20240502",
            "EndTime<    | 2024-05-02T10:00:00+25:00",
    })
    void badDatesNameTheirParameter(String parameter, String value) {
        FilterException e = assertThrows(FilterException.class, () -> CallQuery.fromTwilio(Map.of(parameter, value)));
        assertEquals(parameter, e.parameter());
        assertEquals("bad value for '" + parameter + "': '" + value + "' is not a date (YYYY-MM-DD) or a UTC"
                + " date-time (YYYY-MM-DDTHH:MM:SS)", e.getMessage());
        FilterException r = assertThrows(FilterException.class,
                () -> RecordingQuery.fromTwilio(Map.of(parameter.replace("StartTime", "DateCreated")
                        .replace("EndTime", "DateCreated"), value)));
        assertTrue(r.parameter().startsWith("DateCreated"), r.parameter());
    }

    @Test
    void unknownStatusIsAnErrorAndEveryTwilioStatusIsKnown() {
        FilterException e = assertThrows(FilterException.class, () -> CallQuery.fromTwilio(Map.of("Status", "done")));
        assertEquals("Status", e.parameter());
        assertEquals("bad value for 'Status': 'done' (expected queued, ringing, in-progress, completed, busy, failed,"
                + " no-answer or canceled)", e.getMessage());
        for (Call.Status s : Call.Status.values()) {
            assertEquals(s.toString(), CallQuery.fromTwilio(Map.of("Status", s.toString())).status().twilioName());
        }
        assertEquals(Call.Status.values().length, CallStatus.values().length);
    }

    @Test
    void emptyAndForeignParametersAreIgnored() {
        assertEquals(CallQuery.ALL, CallQuery.fromTwilio(Map.of("To", "", "StartTime", " ", "Page", "2",
                "PageSize", "20", "PageToken", "PA123", "StartTimeAfter", "x")));
        assertEquals(RecordingQuery.ALL, RecordingQuery.fromTwilio(Map.of("CallSid", "", "IncludeSoftDeleted",
                "true")));
    }

    @Test
    void timeRangeContainsAndNulls() {
        TimeRange day = TimeRange.day(LocalDate.parse("2024-05-02"));
        assertTrue(day.contains(at("2024-05-02T00:00:00Z")));
        assertTrue(day.contains(at("2024-05-02T23:59:59.999Z")));
        assertFalse(day.contains(at("2024-05-03T00:00:00Z")));
        assertFalse(day.contains(null), "a call not yet started is on no day");
        assertTrue(TimeRange.ANY.contains(null));
        assertTrue(TimeRange.onOrBefore(at("2024-05-02T10:00:00.000500Z")).contains(at("2024-05-02T10:00:00Z")));
        assertNull(TimeRange.onOrAfter(at("2024-05-02T10:00:00Z")).until());
    }
}
