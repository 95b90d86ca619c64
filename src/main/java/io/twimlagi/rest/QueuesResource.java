package io.twimlagi.rest;

import io.twimlagi.http.Exchange;
import io.twimlagi.queue.MemberSnapshot;
import io.twimlagi.queue.QueueSnapshot;
import io.twimlagi.twiml.HttpMethod;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code Queues.json} (list, create), {@code Queues/{Sid}.json} (fetch, update, delete),
 * {@code Queues/{Sid}/Members.json} (list) and {@code Queues/{Sid}/Members/{CallSid|Front}.json} (fetch; update
 * with {@code Url} and {@code Method}: the call leaves the queue and runs that TwiML).
 */
final class QueuesResource {
    private final QueuesBackend backend;
    private final String accountSid;

    QueuesResource(QueuesBackend backend, String accountSid) {
        this.backend = backend;
        this.accountSid = accountSid;
    }

    void list(Exchange x) {
        Map<String, String> query = RestApi.singleValues(x);
        Paging paging = Paging.of(query);
        List<QueueSnapshot> all = backend.list();
        Json.send(x, 200, paging.envelope("queues", x.path(), Map.of(),
                page(all, paging).stream().map(q -> QueueJson.queue(q, accountSid)).toList(),
                hasNext(all, paging)));
    }

    void create(Exchange x) {
        Map<String, String> form = RestApi.singleValues(x);
        String name = form.get("FriendlyName");
        if (name == null || name.isEmpty()) {
            throw ApiError.badParameter("Missing required parameter FriendlyName in the post body");
        }
        Json.send(x, 201, QueueJson.queue(backend.create(name, size(form)), accountSid));
    }

    void fetch(Exchange x, String sid) {
        QueueSnapshot q = backend.fetch(sid).orElseThrow(() -> ApiError.notFound(x.path()));
        Json.send(x, 200, QueueJson.queue(q, accountSid));
    }

    void update(Exchange x, String sid) {
        Map<String, String> form = RestApi.singleValues(x);
        String name = form.get("FriendlyName");
        QueueSnapshot q = backend.update(sid, name == null || name.isEmpty() ? null : name, size(form))
                .orElseThrow(() -> ApiError.notFound(x.path()));
        Json.send(x, 200, QueueJson.queue(q, accountSid));
    }

    void delete(Exchange x, String sid) {
        if (!backend.delete(sid)) throw ApiError.notFound(x.path());
        x.send(204, "application/json", "");
    }

    void members(Exchange x, String queueSid) {
        Map<String, String> query = RestApi.singleValues(x);
        Paging paging = Paging.of(query);
        List<MemberSnapshot> all = backend.members(queueSid).orElseThrow(() -> ApiError.notFound(x.path()));
        Json.send(x, 200, paging.envelope("queue_members", x.path(), Map.of(),
                page(all, paging).stream().map(m -> QueueJson.member(m, accountSid)).toList(),
                hasNext(all, paging)));
    }

    void member(Exchange x, String queueSid, String who) {
        MemberSnapshot m = backend.member(queueSid, who).orElseThrow(() -> ApiError.notFound(x.path()));
        Json.send(x, 200, QueueJson.member(m, accountSid));
    }

    /** Members update: {@code Url} (required, absolute http(s)) and {@code Method} (GET or POST, default POST). */
    void dequeue(Exchange x, String queueSid, String who) {
        Map<String, String> form = RestApi.singleValues(x);
        String url = form.get("Url");
        if (url == null || url.isEmpty()) throw ApiError.badParameter("Missing required parameter Url in the post body");
        if (!absoluteHttp(url)) throw new ApiError(400, 21205, "Url is not a valid URL: " + url);
        String m = form.get("Method");
        HttpMethod method = m == null || m.isEmpty() ? HttpMethod.POST : HttpMethod.parse(m)
                .orElseThrow(() -> ApiError.badParameter("Method must be GET or POST"));
        MemberSnapshot member = backend.dequeue(queueSid, who, url.strip(), method)
                .orElseThrow(() -> ApiError.notFound(x.path()));
        Json.send(x, 200, QueueJson.member(member, accountSid));
    }

    private static Integer size(Map<String, String> form) {
        String v = form.get("MaxSize");
        if (v == null || v.isEmpty()) return null;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw ApiError.badParameter("MaxSize must be a number");
        }
    }

    private static boolean absoluteHttp(String url) {
        try {
            URI u = URI.create(url.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static <T> List<T> page(List<T> all, Paging p) {
        long from = (long) p.page * p.pageSize;
        if (from >= all.size()) return List.of();
        return all.subList((int) from, (int) Math.min(all.size(), from + p.pageSize));
    }

    private static boolean hasNext(List<?> all, Paging p) {
        return (long) (p.page + 1) * p.pageSize < all.size();
    }
}
