package golab.runtime.heap;

/**
 * The model heap asked its {@link Arena} for more address space than is left of the reservation: Go's
 * "runtime: out of memory: cannot allocate N-byte block". The message names the requested bytes, the bytes
 * still available and the size of the reservation, so the fix (a larger maximum) is plain.
 */
public final class ArenaExhaustedException extends RuntimeException {

    private final long requested;
    private final long available;

    ArenaExhaustedException(long requested, long available, long reserved) {
        super("runtime: out of memory: cannot allocate " + requested + "-byte block: the heap arena has "
                + available + " of its " + reserved + " reserved bytes available (raise the arena maximum)");
        this.requested = requested;
        this.available = available;
    }

    /** Bytes the heap asked for. */
    public long requested() {
        return requested;
    }

    /** Bytes that were left in the arena. */
    public long available() {
        return available;
    }
}
