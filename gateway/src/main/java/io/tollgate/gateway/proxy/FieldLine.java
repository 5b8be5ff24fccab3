package io.tollgate.gateway.proxy;

/**
 * One field line of a head in the common case, read in place in the head's bytes, as the common-head parsers of
 * requests ({@link CommonHeadParser}) and responses ({@link CommonResponseHeadParser}) take it: a token name, a
 * colon, optional whitespace, a value of VCHAR, SP and HTAB, optional whitespace, CR. A line read is three offsets
 * packed in a long (21 bits each: heads are far shorter than 2 MiB), so reading one makes no object.
 */
final class FieldLine {
    private static final int BITS = 21;
    private static final long MASK = (1L << BITS) - 1;

    private FieldLine() {
    }

    /**
     * The line {@code head[line, cr)} read: its colon, value start and value end (whitespace around the value
     * dropped), packed; or -1 when it is not in the common case (no name, a byte outside a token before the colon,
     * obs-fold among them, or a control, CR, DEL or obs-text in the value).
     */
    static long read(byte[] head, int line, int cr) {
        int colon = line;
        while (colon < cr && StrictRequestDecoder.isTchar(head[colon])) {
            colon++;
        }
        if (colon == line || colon == cr || head[colon] != ':') {
            return -1;
        }
        int value = colon + 1;
        while (value < cr && (head[value] == ' ' || head[value] == '\t')) {
            value++;
        }
        int end = cr;
        while (end > value && (head[end - 1] == ' ' || head[end - 1] == '\t')) {
            end--;
        }
        for (int i = value; i < end; i++) {
            byte b = head[i];
            if ((b < 0x21 || b > 0x7e) && b != ' ' && b != '\t') {
                return -1;
            }
        }
        return (long) colon << 2 * BITS | (long) value << BITS | end;
    }

    /** The colon of a line {@link #read}. */
    static int colon(long line) {
        return (int) (line >>> 2 * BITS & MASK);
    }

    /** The value's first byte of a line {@link #read}. */
    static int valueStart(long line) {
        return (int) (line >>> BITS & MASK);
    }

    /** The value's end of a line {@link #read}. */
    static int valueEnd(long line) {
        return (int) (line & MASK);
    }
}
