package golab.runtime.heap;

/**
 * A heap load or store that the model refuses: an address outside every allocated object (foreign, freed,
 * a zero-size object), an offset outside the object, a misaligned access, a pointer access to a scalar slot
 * or a scalar access to a pointer slot. Go catches most of these at compile time and the rest as
 * {@code fatal error: found bad pointer in Go heap}; the model checks at run time, because a pointer the GC
 * cannot see in a pointer map is a use-after-free waiting to happen. The message names the operation, the
 * address, the type and the field or slot.
 */
public final class BadAccessException extends RuntimeException {

    private final long address;

    BadAccessException(String op, long address, String problem) {
        super(op + " at 0x" + Long.toHexString(address) + ": " + problem);
        this.address = address;
    }

    /** The address of the refused access. */
    public long address() {
        return address;
    }
}
