package io.tollgate.gateway.proxy;

/**
 * How the request in progress on a connection is framed, as the entrance decided it: the gateway frames what it
 * forwards from these facts alone, never from the client's framing headers (removed at the entrance).
 */
final class RequestFraming {
    boolean keepAlive;
    boolean chunked;
    /** The body length the decoder reads when not chunked; -1 = no body. */
    long contentLength;
    boolean expectContinue;

    void reset() {
        keepAlive = false;
        chunked = false;
        contentLength = -1;
        expectContinue = false;
    }
}
