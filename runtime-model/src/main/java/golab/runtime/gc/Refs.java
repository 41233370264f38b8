package golab.runtime.gc;

import golab.runtime.heap.Ref;
import golab.runtime.sched.Park;

/**
 * The barrier for {@link Ref}s moving through runtime structures: a Ref that enters or leaves a channel or a
 * pool during a mark phase is shaded, the way Go's typedmemmove barriers shade pointers copied into and
 * out of channel buffers (the hybrid barrier's insertion and deletion halves at once). Called on the
 * goroutine doing the operation; cheap when no cycle is marking.
 */
public final class Refs {

    private Refs() {
    }

    /** {@code r} entered or left {@code holder}: registers the holder as a root and shades {@code r} if marking. */
    public static void moved(Ref r, RootHolder holder) {
        Collector gc = Park.sched().gc;
        if (holder != null) {
            gc.registerRootHolder(holder);
        }
        gc.shadeRef(r.addr());
    }
}
