package io.twimlagi.rest;

import io.twimlagi.http.BasicAuth;
import io.twimlagi.http.EmbeddedHttpServer;
import io.twimlagi.http.Exchange;
import io.twimlagi.http.HttpError;
import io.twimlagi.http.Route;
import io.twimlagi.records.FilterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Twilio's REST API (2010-04-01) on the embedded HTTP server, for apps and Twilio's SDKs pointed at this server:
 * form-encoded requests, JSON answers shaped as Twilio's, HTTP Basic auth with AccountSid:AuthToken, Twilio's
 * error bodies. Each resource family is its own class; this one authenticates and routes.
 */
public final class RestApi {
    private static final Logger log = LoggerFactory.getLogger(RestApi.class);
    static final String BASE = "/2010-04-01/Accounts/{AccountSid}";

    /** One resource's handling of an authenticated request. */
    @FunctionalInterface
    interface Handler {
        void handle(Exchange x) throws IOException;
    }

    private final String accountSid;
    private final BasicAuth auth;
    private final CallsResource calls;
    private final RecordingsResource recordings;
    /** Null when Media Streams are off. */
    private final StreamsResource streams;
    /** Null: no Conferences resources (404). */
    private final ConferencesResource conferences;

    public RestApi(String accountSid, String authToken, CallsBackend calls, RecordingsBackend recordings) {
        this(accountSid, authToken, calls, recordings, null);
    }

    public RestApi(String accountSid, String authToken, CallsBackend calls, RecordingsBackend recordings,
                   ConferencesBackend conferences) {
        this(accountSid, authToken, calls, recordings, conferences, null);
    }

    /**
     * @param conferences null: no Conferences resources (404)
     * @param streams null: no Streams subresource (Media Streams are off)
     */
    public RestApi(String accountSid, String authToken, CallsBackend calls, RecordingsBackend recordings,
                   ConferencesBackend conferences, StreamsBackend streams) {
        this.accountSid = accountSid;
        this.auth = new BasicAuth(accountSid, authToken);
        this.calls = new CallsResource(calls);
        this.recordings = new RecordingsResource(recordings);
        this.streams = streams == null ? null : new StreamsResource(streams);
        this.conferences = conferences == null ? null : new ConferencesResource(conferences);
    }

    /** {@code /2010-04-01/Accounts/AC…}, the prefix of every resource URI. */
    static String accountPath(String accountSid) {
        return "/2010-04-01/Accounts/" + accountSid;
    }

    /** Registers the resources on {@code http}. */
    public void attach(EmbeddedHttpServer http) {
        http.route(BASE + "/Calls.json", guarded(x -> {
            if (x.isGetOrHead()) calls.list(x);
            else if (x.method().equals("POST")) calls.create(x);
            else throw methodNotAllowed(x);
        }));
        http.route(BASE + "/Calls/{file}", guarded(x -> {
            String sid = jsonName(x, "file");
            if (x.isGetOrHead()) calls.fetch(x, sid);
            else if (x.method().equals("POST")) calls.update(x, sid);
            else throw methodNotAllowed(x);
        }));
        http.route(BASE + "/Calls/{CallSid}/Recordings.json", guarded(x -> {
            if (!x.isGetOrHead()) throw methodNotAllowed(x);
            recordings.list(x, x.pathParam("CallSid"));
        }));
        if (streams != null) {
            http.route(BASE + "/Calls/{CallSid}/Streams/{file}", guarded(x -> {
                String sid = jsonName(x, "file");
                if (!x.method().equals("POST")) throw methodNotAllowed(x);
                streams.update(x, accountSid, x.pathParam("CallSid"), sid);
            }));
        }
        http.route(BASE + "/Recordings.json", guarded(x -> {
            if (!x.isGetOrHead()) throw methodNotAllowed(x);
            recordings.list(x, null);
        }));
        http.recordingResources(guarded(x -> {
            String sid = jsonName(x, "file");
            if (x.isGetOrHead()) recordings.fetch(x, sid);
            else if (x.method().equals("DELETE")) recordings.delete(x, sid);
            else throw methodNotAllowed(x);
        }));
        if (conferences != null) conferences.attach(http, this::guarded);
    }

    /** Registers the Queues resource and its Members ({@link QueuesResource}) on {@code http}. */
    public void attachQueues(EmbeddedHttpServer http, QueuesBackend backend) {
        QueuesResource queues = new QueuesResource(backend, accountSid);
        http.route(BASE + "/Queues.json", guarded(x -> {
            if (x.isGetOrHead()) queues.list(x);
            else if (x.method().equals("POST")) queues.create(x);
            else throw methodNotAllowed(x);
        }));
        http.route(BASE + "/Queues/{file}", guarded(x -> {
            String sid = jsonName(x, "file");
            if (x.isGetOrHead()) queues.fetch(x, sid);
            else if (x.method().equals("POST")) queues.update(x, sid);
            else if (x.method().equals("DELETE")) queues.delete(x, sid);
            else throw methodNotAllowed(x);
        }));
        http.route(BASE + "/Queues/{QueueSid}/Members.json", guarded(x -> {
            if (!x.isGetOrHead()) throw methodNotAllowed(x);
            queues.members(x, x.pathParam("QueueSid"));
        }));
        http.route(BASE + "/Queues/{QueueSid}/Members/{file}", guarded(x -> {
            String who = jsonName(x, "file");
            if (x.isGetOrHead()) queues.member(x, x.pathParam("QueueSid"), who);
            else if (x.method().equals("POST")) queues.dequeue(x, x.pathParam("QueueSid"), who);
            else throw methodNotAllowed(x);
        }));
    }

    /** Authenticates, checks the account, runs {@code h}; every failure becomes Twilio's JSON error. */
    private Route guarded(Handler h) {
        return x -> {
            try {
                if (!auth.accepts(x.header("Authorization"))) {
                    x.responseHeader("WWW-Authenticate", BasicAuth.challenge());
                    throw new ApiError(401, 20003, "Authentication Error - invalid username or password");
                }
                if (!accountSid.equals(x.pathParam("AccountSid"))) throw ApiError.notFound(x.path());
                h.handle(x);
            } catch (ApiError e) {
                Json.sendError(x, e);
            } catch (FilterException e) {
                Json.sendError(x, ApiError.badParameter(e.getMessage()));
            } catch (HttpError e) {
                Json.sendError(x, new ApiError(e.status(), ApiError.INVALID_PARAMETER, e.getMessage()));
            } catch (RuntimeException e) {
                log.error("REST {} {} failed: {}", x.method(), pattern(x), e.toString(), e);
                Json.sendError(x, new ApiError(500, 20500, "Internal Server Error"));
            }
        };
    }

    private static String pattern(Exchange x) {
        String p = x.path();
        return p.length() > 120 ? p.substring(0, 120) : p;
    }

    /** The SID in a {@code <Sid>.json} path segment; 404 for any other name. */
    static String jsonName(Exchange x, String param) {
        String file = x.pathParam(param);
        if (file == null || !file.endsWith(".json") || file.length() <= 5) throw ApiError.notFound(x.path());
        return file.substring(0, file.length() - 5);
    }

    static ApiError methodNotAllowed(Exchange x) {
        return methodNotAllowed(x, "GET, POST");
    }

    /** 405 naming the methods the resource has. */
    static ApiError methodNotAllowed(Exchange x, String allow) {
        x.responseHeader("Allow", allow);
        return new ApiError(405, 20004, "Method not allowed");
    }

    /** The query (or form) parameters, one value each (the first). */
    static Map<String, String> singleValues(Exchange x) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : x.form().entrySet()) {
            if (!e.getValue().isEmpty()) m.put(e.getKey(), e.getValue().get(0));
        }
        return m;
    }
}
