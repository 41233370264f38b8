package golab.runtime.sync;

import golab.runtime.gc.Collector;
import golab.runtime.gc.Refs;
import golab.runtime.gc.RootHolder;
import golab.runtime.heap.Ref;
import golab.runtime.sched.Park;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Go's {@code sync.Pool} (sync/pool.go): a cache of reusable objects that the GC may empty.
 *
 * <h2>Design (after pool.go)</h2>
 * <p>Each P has a {@code poolLocal}: a {@code private} slot only that P uses, and a {@link PoolChain} that
 * it pushes and pops at the head while other Ps steal from the tail. {@link #get} tries, in order: the
 * private slot, its own chain's head, other Ps' tails, then the victim cache, and finally {@code New}.
 * {@link #put} fills the private slot, else the chain's head.
 *
 * <p>At the start of every GC cycle, with the world stopped, the primary cache becomes the victim cache and
 * the old victim is dropped, so an idle object survives at most two cycles and one GC never empties a pool
 * in use. Until golab's collector exists, {@code Go.gc()} runs that rotation.
 *
 * <p>Pinning: Go disables preemption ({@code procPin}) so the P cannot change during an operation. A
 * goroutine here only stops at safepoints and Pool operations contain none, so reading the P id is enough.
 *
 * @param <T> the pooled type
 */
public final class Pool<T> implements RootHolder {

    /** One P's slot: Go's poolLocal (padded in Go to avoid false sharing; the JVM lays these out apart). */
    private static final class Local {
        Object privateValue;
        final PoolChain shared = new PoolChain();
    }

    private static final Mutex ALL_POOLS_MU = new Mutex();
    /** Pools with a primary cache (Go's allPools); rotated with the world stopped. */
    private static List<Pool<?>> allPools = new ArrayList<>();
    /** Pools with only a victim cache (Go's oldPools). */
    private static List<Pool<?>> oldPools = new ArrayList<>();

    static {
        Collector.registerPoolCleanup(Pool::cleanup);
    }

    private final Supplier<? extends T> newFn;
    private volatile Local[] local;
    private volatile Local[] victim;

    /** A pool whose {@link #get} makes a fresh value with {@code newFn} when empty (null: return null). */
    public Pool(Supplier<? extends T> newFn) {
        this.newFn = newFn;
    }

    /** Adds {@code x} to the pool; null is ignored. */
    public void put(T x) {
        if (x == null) {
            return;
        }
        if (x instanceof Ref r) {
            Refs.moved(r, this);
        }
        Local l = pin();
        if (l.privateValue == null) {
            l.privateValue = x;
        } else {
            l.shared.pushHead(x);
        }
    }

    /** Takes some value from the pool, or makes one with {@code New}. */
    @SuppressWarnings("unchecked")
    public T get() {
        Local l = pin();
        Object x = l.privateValue;
        l.privateValue = null;
        if (x == null) {
            x = l.shared.popHead();
            if (x == null) {
                x = getSlow();
            }
        }
        if (x == null && newFn != null) {
            x = newFn.get();
        }
        if (x instanceof Ref r) {
            Refs.moved(r, null); // left the pool: shade it if a cycle is marking
        }
        return (T) x;
    }

    /** The Refs in this pool's primary and victim caches (a GC root job; racy reads are fine, see Refs). */
    @Override
    public void scanRoots(LongConsumer shade) {
        for (Local[] locals : new Local[][] {local, victim}) {
            if (locals == null) {
                continue;
            }
            for (Local l : locals) {
                if (l.privateValue instanceof Ref r) {
                    shade.accept(r.addr());
                }
                l.shared.forEach(v -> {
                    if (v instanceof Ref r) {
                        shade.accept(r.addr());
                    }
                });
            }
        }
    }

    private Object getSlow() {
        Local[] locals = local;
        int pid = Park.procId();
        int size = locals.length;
        for (int i = 0; i < size; i++) {
            Object x = locals[(pid + i + 1) % size].shared.popTail();
            if (x != null) {
                return x;
            }
        }
        Local[] v = victim;
        if (v == null) {
            return null;
        }
        if (pid < v.length) {
            Local l = v[pid];
            Object x = l.privateValue;
            if (x != null) {
                l.privateValue = null;
                return x;
            }
        }
        for (int i = 0; i < v.length; i++) {
            Object x = v[(pid + i) % v.length].shared.popTail();
            if (x != null) {
                return x;
            }
        }
        victim = null; // empty: skip the victim until the next cycle
        return null;
    }

    /** The current P's local, (re)allocating the per-P array when it is missing or GOMAXPROCS changed. */
    private Local pin() {
        int pid = Park.procId();
        Local[] l = local;
        if (l != null && pid < l.length) {
            return l[pid];
        }
        return pinSlow();
    }

    private Local pinSlow() {
        ALL_POOLS_MU.lock();
        try {
            int pid = Park.procId();
            Local[] l = local;
            if (l != null && pid < l.length) {
                return l[pid];
            }
            if (l == null) {
                allPools.add(this);
            }
            int size = Park.sched().gomaxprocs();
            Local[] fresh = new Local[size];
            for (int i = 0; i < size; i++) {
                fresh[i] = new Local();
            }
            local = fresh;
            return fresh[pid];
        } finally {
            ALL_POOLS_MU.unlock();
        }
    }

    /** Rotates every pool's caches (poolCleanup); runs with the world stopped at the start of a GC cycle. */
    private static void cleanup() {
        for (Pool<?> p : oldPools) {
            p.victim = null;
        }
        for (Pool<?> p : allPools) {
            p.victim = p.local;
            p.local = null;
        }
        oldPools = allPools;
        allPools = new ArrayList<>();
    }
}
