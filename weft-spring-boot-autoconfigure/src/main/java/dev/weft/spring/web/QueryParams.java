package dev.weft.spring.web;

import dev.weft.WorkflowStatus;
import dev.weft.client.PageRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads the API's query parameters, refusing a bad one with a 400 that names it. */
final class QueryParams {

    private static final String PENDING_CURSOR = "pending-async:v1:";

    private QueryParams() {
    }

    /** Statuses given as repeated parameters, comma-separated lists, or both. */
    static Set<WorkflowStatus> statuses(@Nullable List<String> values) {
        Set<WorkflowStatus> statuses = EnumSet.noneOf(WorkflowStatus.class);
        if (values != null) {
            for (String each : values) {
                for (String name : each.split(",")) {
                    statuses.add(status(name.trim()));
                }
            }
        }
        return statuses;
    }

    /** A page given as {@code offset} and {@code limit} or as {@code page} and {@code size}, never both. */
    static PageRequest page(@Nullable String limit, @Nullable String offset, @Nullable String page, @Nullable String size) {
        if (page != null || size != null) {
            if (limit != null || offset != null) {
                throw ApiException.invalid("page", "Use either page and size or offset and limit, not both");
            }
            int pageSize = integer("size", size, PageRequest.DEFAULT_LIMIT, 1, PageRequest.MAX_LIMIT);
            int pageNumber = integer("page", page, 0, 0, Integer.MAX_VALUE / pageSize);
            return new PageRequest(pageNumber * pageSize, pageSize);
        }
        return new PageRequest(integer("offset", offset, 0, 0, Integer.MAX_VALUE),
                integer("limit", limit, PageRequest.DEFAULT_LIMIT, 1, PageRequest.MAX_LIMIT));
    }

    static int integer(String field, @Nullable String value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.invalid(field, "Field \"" + field + "\" must be an integer between " + min + " and " + max);
    }

    /** The step after which a page of pending activities starts: 0 without a cursor. */
    static long pendingCursor(@Nullable String cursor) {
        if (cursor == null) {
            return 0;
        }
        if (cursor.startsWith(PENDING_CURSOR)) {
            try {
                long seq = Long.parseLong(cursor.substring(PENDING_CURSOR.length()));
                if (seq >= 0) {
                    return seq;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw ApiException.invalid("cursor", "Field \"cursor\" is not a cursor this API returned");
    }

    /** The cursor of the page after the one that ends with step {@code lastSeq}. */
    static String nextPendingCursor(long lastSeq) {
        return PENDING_CURSOR + lastSeq;
    }

    private static WorkflowStatus status(String name) {
        try {
            return WorkflowStatus.fromWireName(name);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("status", "Field \"status\" must be one of running, completed, failed, cancelled");
        }
    }
}
