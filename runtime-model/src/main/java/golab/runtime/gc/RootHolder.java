package golab.runtime.gc;

import java.util.function.LongConsumer;

/**
 * A Java structure of the runtime that holds model pointers ({@link golab.runtime.heap.Ref}s) outside the
 * heap: a channel, a pool. Each registers itself with its run's collector the first time it holds a Ref
 * and is then scanned as a root job every cycle, with only a weak reference from the collector, so a
 * structure nobody uses any more is dropped.
 */
public interface RootHolder {

    /** Passes the address of every Ref held right now to {@code shade}; may run concurrently with its users. */
    void scanRoots(LongConsumer shade);
}
