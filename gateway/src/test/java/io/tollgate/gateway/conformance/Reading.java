package io.tollgate.gateway.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * What the client's bytes are under RFC 9112 ({@link Http1Parser.Mode#REFERENCE}): the requests a server may
 * act on, in order, and how the bytes end. After a request that closes the connection nothing more counts
 * (RFC 9112 §9.6: the server MUST NOT process further requests).
 */
record Reading(List<Http1Parser.Request> requests, End end, String reason) {
    enum End {
        /** Every byte belongs to a request. */
        CLEAN,
        /** Then bytes a server must refuse (400): a proxy forwarding them forwards a guess. */
        INVALID,
        /** Then a request the bytes never finish: a server waits. */
        INCOMPLETE,
        /** A request closed the connection; anything after it is not to be processed. */
        CLOSED
    }

    static Reading of(byte[] raw) {
        List<Http1Parser.Request> requests = new ArrayList<>();
        int pos = 0;
        while (pos < raw.length) {
            if (onlyLineEnds(raw, pos)) {
                break; // empty lines between requests are ignored (RFC 9112 §2.2)
            }
            Http1Parser.Request r;
            try {
                r = Http1Parser.parse(raw, pos, Http1Parser.Mode.REFERENCE);
            } catch (Http1Parser.Invalid e) {
                return new Reading(requests, End.INVALID, e.getMessage());
            } catch (Http1Parser.Incomplete e) {
                return new Reading(requests, End.INCOMPLETE, "incomplete");
            }
            requests.add(r);
            pos += r.consumed();
            if (r.closes()) {
                return new Reading(requests, pos < raw.length ? End.CLOSED : End.CLEAN, "");
            }
        }
        return new Reading(requests, End.CLEAN, "");
    }

    private static boolean onlyLineEnds(byte[] raw, int from) {
        for (int i = from; i < raw.length; i++) {
            if (raw[i] != '\r' && raw[i] != '\n') {
                return false;
            }
        }
        return true;
    }

    /** How many final answers a proxy owes: one per request, plus a 400 for invalid bytes. */
    int answersOwed() {
        return requests.size() + (end == End.INVALID ? 1 : 0);
    }
}
