package io.twimlagi.rest;

import io.twimlagi.records.Page;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Twilio's list paging: {@code Page} (from 0) and {@code PageSize} (default 50, at most 1000) in, the envelope out. */
final class Paging {
    final int page;
    final int pageSize;

    private Paging(int page, int pageSize) {
        this.page = page;
        this.pageSize = pageSize;
    }

    static Paging of(Map<String, String> query) {
        int page = number(query, "Page", 0);
        int size = number(query, "PageSize", Page.DEFAULT_SIZE);
        if (page < 0) throw ApiError.badParameter("Page must be 0 or more");
        if (size < 1 || size > Page.MAX_SIZE) {
            throw ApiError.badParameter("PageSize must be between 1 and " + Page.MAX_SIZE);
        }
        return new Paging(page, size);
    }

    private static int number(Map<String, String> query, String name, int otherwise) {
        String v = query.get(name);
        if (v == null || v.isEmpty()) return otherwise;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiError.badParameter(name + " must be a number");
        }
    }

    /**
     * The list envelope: the items under {@code key}, the page's position and the URIs of this, the first, the
     * previous and the next page (null at the ends), each keeping the {@code filters}.
     */
    Map<String, Object> envelope(String key, String path, Map<String, String> filters, List<?> items,
                                 boolean hasNext) {
        Map<String, Object> o = Json.object();
        o.put(key, items);
        o.put("end", page * pageSize + Math.max(0, items.size() - 1));
        o.put("first_page_uri", uri(path, filters, 0));
        o.put("next_page_uri", hasNext ? uri(path, filters, page + 1) : null);
        o.put("page", page);
        o.put("page_size", pageSize);
        o.put("previous_page_uri", page > 0 ? uri(path, filters, page - 1) : null);
        o.put("start", page * pageSize);
        o.put("uri", uri(path, filters, page));
        return o;
    }

    private String uri(String path, Map<String, String> filters, int p) {
        StringBuilder b = new StringBuilder(path).append('?');
        filters.forEach((k, v) -> b.append(encode(k)).append('=').append(encode(v)).append('&'));
        return b.append("PageSize=").append(pageSize).append("&Page=").append(p).toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
