package golab.runtime.heap;

/**
 * A model pointer carried as a Java value: what a workload sends on a channel or keeps in a
 * {@code sync.Pool} when the element is a heap object ({@code chan *T}, a pool of buffers). The collector
 * sees a Ref wherever such a structure holds it — a channel's buffer, a blocked sender's or a woken
 * receiver's sudog, a pool's caches — and shades it whenever it moves in or out of one during a mark
 * phase, the role Go's write barriers on channel and interface copies play.
 *
 * <p>A Ref in an ordinary Java field or local is not a root: store the address in a frame, a global or a
 * heap object before the next safepoint, as for any pointer.
 *
 * @param addr the object's address (0 is nil)
 */
public record Ref(long addr) {
}
