package io.twimlagi.rest;

import io.twimlagi.http.EmbeddedHttpServer;
import io.twimlagi.http.Exchange;
import io.twimlagi.http.Route;
import io.twimlagi.records.ConferenceQuery;
import io.twimlagi.records.ConferenceRecord;
import io.twimlagi.records.Page;
import io.twimlagi.records.ParticipantQuery;
import io.twimlagi.records.ParticipantRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code Conferences.json} (list), {@code Conferences/{Sid}.json} (fetch; update: {@code Status=completed} ends it),
 * {@code Conferences/{Sid}/Participants.json} (list; creating a participant, i.e. dialing out into a conference, is
 * refused with a clear 400) and {@code Conferences/{Sid}/Participants/{CallSid}.json} (fetch; update:
 * {@code Muted}, {@code Hold}, {@code HoldUrl}, {@code HoldMethod}; delete: the participant leaves).
 */
final class ConferencesResource {
    private final ConferencesBackend backend;

    ConferencesResource(ConferencesBackend backend) {
        this.backend = backend;
    }

    /** Registers the routes on {@code http}, each behind {@code guarded} (auth, account, Twilio's errors). */
    void attach(EmbeddedHttpServer http, Function<RestApi.Handler, Route> guarded) {
        http.route(RestApi.BASE + "/Conferences.json", guarded.apply(x -> {
            if (!x.isGetOrHead()) throw RestApi.methodNotAllowed(x, "GET");
            list(x);
        }));
        http.route(RestApi.BASE + "/Conferences/{file}", guarded.apply(x -> {
            String sid = RestApi.jsonName(x, "file");
            if (x.isGetOrHead()) fetch(x, sid);
            else if (x.method().equals("POST")) update(x, sid);
            else throw RestApi.methodNotAllowed(x, "GET, POST");
        }));
        http.route(RestApi.BASE + "/Conferences/{ConferenceSid}/Participants.json", guarded.apply(x -> {
            if (x.isGetOrHead()) participants(x, x.pathParam("ConferenceSid"));
            else if (x.method().equals("POST")) throw new ApiError(400, ApiError.INVALID_PARAMETER, "Adding a "
                    + "participant (dialing out into a conference) is not supported by this server (twiml-agi): "
                    + "create a call (Calls.json) whose TwiML is <Dial><Conference>name</Conference></Dial>");
            else throw RestApi.methodNotAllowed(x, "GET, POST");
        }));
        http.route(RestApi.BASE + "/Conferences/{ConferenceSid}/Participants/{file}", guarded.apply(x -> {
            String conference = x.pathParam("ConferenceSid");
            String call = RestApi.jsonName(x, "file");
            if (x.isGetOrHead()) participant(x, conference, call);
            else if (x.method().equals("POST")) updateParticipant(x, conference, call);
            else if (x.method().equals("DELETE")) removeParticipant(x, conference, call);
            else throw RestApi.methodNotAllowed(x, "GET, POST, DELETE");
        }));
    }

    void list(Exchange x) {
        Map<String, String> query = RestApi.singleValues(x);
        Paging paging = Paging.of(query);
        Page<ConferenceRecord> page = backend.list(ConferenceQuery.fromTwilio(query), paging.page, paging.pageSize);
        Json.send(x, 200, paging.envelope("conferences", x.path(), filters(query),
                page.items().stream().map(ConferenceJson::of).toList(), page.hasNext()));
    }

    void fetch(Exchange x, String sid) {
        ConferenceRecord c = backend.fetch(sid).orElseThrow(() -> ApiError.notFound(x.path()));
        Json.send(x, 200, ConferenceJson.of(c));
    }

    void update(Exchange x, String sid) {
        boolean end = new ConferenceParams(x.form()).endsConference();
        ConferenceRecord c = (end ? backend.end(sid) : backend.fetch(sid))
                .orElseThrow(() -> ApiError.notFound(x.path()));
        Json.send(x, 200, ConferenceJson.of(c));
    }

    /** The participants now, in the order they joined, with Twilio's filters and paging. */
    void participants(Exchange x, String conferenceSid) {
        Map<String, String> query = RestApi.singleValues(x);
        Paging paging = Paging.of(query);
        ParticipantQuery q = ParticipantQuery.fromTwilio(query);
        List<ParticipantRecord> all = backend.participants(conferenceSid)
                .orElseThrow(() -> ApiError.notFound(x.path())).stream().filter(q::matches).toList();
        long from = (long) paging.page * paging.pageSize;
        List<ParticipantRecord> page = from >= all.size() ? List.of()
                : all.subList((int) from, (int) Math.min(all.size(), from + paging.pageSize));
        Json.send(x, 200, paging.envelope("participants", x.path(), filters(query),
                page.stream().map(ParticipantJson::of).toList(), from + paging.pageSize < all.size()));
    }

    void participant(Exchange x, String conferenceSid, String call) {
        ParticipantRecord p = backend.participant(conferenceSid, call).orElseThrow(() -> ApiError.notFound(x.path()));
        Json.send(x, 200, ParticipantJson.of(p));
    }

    void updateParticipant(Exchange x, String conferenceSid, String call) {
        ParticipantUpdate update = new ConferenceParams(x.form()).participant();
        ParticipantRecord p = backend.update(conferenceSid, call, update)
                .orElseThrow(() -> ApiError.notFound(x.path()));
        Json.send(x, 200, ParticipantJson.of(p));
    }

    void removeParticipant(Exchange x, String conferenceSid, String call) {
        if (!backend.remove(conferenceSid, call)) throw ApiError.notFound(x.path());
        x.send(204, "application/json", "");
    }

    private static Map<String, String> filters(Map<String, String> query) {
        Map<String, String> filters = new LinkedHashMap<>(query);
        filters.keySet().removeAll(List.of("Page", "PageSize", "PageToken"));
        return filters;
    }
}
