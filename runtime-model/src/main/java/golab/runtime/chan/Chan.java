package golab.runtime.chan;

import golab.runtime.RuntimePanic;
import golab.runtime.gc.Refs;
import golab.runtime.gc.RootHolder;
import golab.runtime.heap.Ref;
import golab.runtime.sched.G;
import golab.runtime.sched.Park;
import golab.runtime.sched.RuntimeLock;
import golab.runtime.sched.Sudog;
import golab.runtime.sched.WaitReason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A channel: Go's {@code hchan} and chan.go's {@code chansend}, {@code chanrecv}, {@code closechan}.
 *
 * <h2>Design (after chan.go)</h2>
 * <p>A buffered channel is a ring of {@code cap} slots ({@code sendx}, {@code recvx}, {@code qcount}); both
 * kinds keep FIFO queues of blocked senders and receivers as {@link Sudog}s. Invariants, under
 * {@link #lock}: at most one of the queues is non-empty (except for one goroutine selecting on both
 * directions of an unbuffered channel); when buffered, {@code qcount > 0} implies no receiver waits and
 * {@code qcount < cap} implies no sender waits.
 *
 * <p>A send that finds a waiting receiver hands the value straight to it and readies it into the sender's
 * {@code runnext}, so the receiver runs next on this P; a receive that finds a waiting sender takes its
 * value (through the buffer head when buffered, keeping FIFO order). Blocked goroutines park with the
 * channel lock released by the park's commit, after they are off their stacks, so a wake-up cannot be
 * lost.
 *
 * <p>golab channels carry non-null values: {@code null} is the zero value a receive returns from a closed
 * channel. {@link #nil()} is Go's nil channel: every operation on it blocks forever.
 *
 * @param <T> the element type
 */
public final class Chan<T> implements RootHolder {

    private static final AtomicLong IDS = new AtomicLong();
    private static final Chan<?> NIL = new Chan<>(0, true);
    /** chanrecv's answer for "closed and drained": the zero value with ok = false. */
    private static final Object CLOSED = new Object();
    /** chanrecv's answer for a non-blocking receive that would block. */
    private static final Object WOULD_BLOCK = new Object();

    /** Identity for Go's lock order by hchan address. */
    final long id = IDS.incrementAndGet();
    private final int dataqsiz;
    private final Object[] buf;
    private int qcount;
    private int sendx;
    private int recvx;
    private volatile boolean closed;
    final WaitQ recvq = new WaitQ();
    final WaitQ sendq = new WaitQ();
    final RuntimeLock lock = new RuntimeLock();
    private final boolean isNil;

    private Chan(int size, boolean isNil) {
        this.dataqsiz = size;
        this.buf = size == 0 ? null : new Object[size];
        this.isNil = isNil;
    }

    /** {@code make(chan T, size)}; {@code size} 0 makes an unbuffered channel. */
    public static <T> Chan<T> make(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("makechan: size out of range: " + size + " (must be >= 0)");
        }
        return new Chan<>(size, false);
    }

    /** An unbuffered channel, {@code make(chan T)}. */
    public static <T> Chan<T> make() {
        return make(0);
    }

    /** Go's nil channel: sends and receives block forever, close panics, select ignores it. */
    @SuppressWarnings("unchecked")
    public static <T> Chan<T> nil() {
        return (Chan<T>) NIL;
    }

    /** {@code c <- v}: blocks until a receiver takes {@code v} or buffer space frees up. */
    public void send(T v) {
        chansend(v, true);
    }

    /** {@code select { case c <- v: ...; default: }}: sends only if it would not block. */
    public boolean trySend(T v) {
        return chansend(v, false);
    }

    /** {@code <-c}: the next value, or null once the channel is closed and drained. */
    @SuppressWarnings("unchecked")
    public T recv() {
        Object v = taken(chanrecv(true));
        return v == CLOSED ? null : (T) v;
    }

    /** {@code v, ok := <-c}. */
    public Received<T> recv2() {
        return received(taken(chanrecv(true)));
    }

    /** {@code select { case v, ok := <-c: ...; default: }}: null if a receive would block. */
    public Received<T> tryRecv() {
        Object v = taken(chanrecv(false));
        return v == WOULD_BLOCK ? null : received(v);
    }

    /** A received Ref left the channel: shade it if a cycle is marking (the barrier on the copy out). */
    private static Object taken(Object v) {
        if (v instanceof Ref r) {
            Refs.moved(r, null);
        }
        return v;
    }

    /** The Refs this channel holds: buffered values and the values of blocked senders (a GC root job). */
    @Override
    public void scanRoots(LongConsumer shade) {
        lock.lock();
        try {
            if (buf != null) {
                for (Object v : buf) {
                    if (v instanceof Ref r) {
                        shade.accept(r.addr());
                    }
                }
            }
            sendq.forEach(sg -> {
                if (sg.elem instanceof Ref r) {
                    shade.accept(r.addr());
                }
            });
        } finally {
            lock.unlock();
        }
    }

    @SuppressWarnings("unchecked")
    private Received<T> received(Object v) {
        return v == CLOSED ? new Received<>(null, false) : new Received<>((T) v, true);
    }

    /** {@code len(c)}: values buffered now. */
    public int len() {
        return qcount;
    }

    /** {@code cap(c)}: the buffer size. */
    public int cap() {
        return dataqsiz;
    }

    boolean isNil() {
        return isNil;
    }

    /** Whether a send would block for want of a receiver or buffer space (full). Racy fast-path check. */
    private boolean full() {
        return dataqsiz == 0 ? recvq.isEmpty() : qcount == dataqsiz;
    }

    /** Whether a receive would block for want of a sender or buffered value (empty). Racy fast-path check. */
    private boolean empty() {
        return dataqsiz == 0 ? sendq.isEmpty() : qcount == 0;
    }

    private boolean chansend(T v, boolean block) {
        if (v == null) {
            throw new IllegalArgumentException("send of null on a channel: golab channels carry non-null values "
                    + "(null is the zero value a closed channel yields)");
        }
        G self = Park.getgOrNull(); // looked up once: a send may check, park and ready
        Park.checkpoint(self);
        if (v instanceof Ref r) {
            Refs.moved(r, this);
        }
        if (isNil) {
            if (!block) {
                return false;
            }
            Park.gopark(null, null, WaitReason.CHAN_SEND_NIL_CHAN);
            throw new IllegalStateException("unreachable: a nil channel never wakes its waiters");
        }
        if (!block && !closed && full()) {
            return false;
        }
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new RuntimePanic("send on closed channel");
        }
        Sudog sg = recvq.dequeue();
        if (sg != null) {
            send(sg, v, self);
            return true;
        }
        if (qcount < dataqsiz) {
            buf[sendx] = v;
            sendx = next(sendx);
            qcount++;
            lock.unlock();
            return true;
        }
        if (!block) {
            lock.unlock();
            return false;
        }
        Sudog mysg = parkOn(self, sendq, v, WaitReason.CHAN_SEND);
        boolean wasClosed = !mysg.success;
        mysg.elem = null;
        Sudog.release(mysg);
        if (wasClosed) {
            if (!closed) {
                throw new IllegalStateException("chansend: spurious wakeup");
            }
            throw new RuntimePanic("send on closed channel");
        }
        return true;
    }

    /** Receives: a value, or {@link #CLOSED}, or {@link #WOULD_BLOCK} for a non-blocking receive. */
    private Object chanrecv(boolean block) {
        G self = Park.getgOrNull(); // looked up once: a receive may check, park and ready
        Park.checkpoint(self);
        if (isNil) {
            if (!block) {
                return WOULD_BLOCK;
            }
            Park.gopark(null, null, WaitReason.CHAN_RECEIVE_NIL_CHAN);
            throw new IllegalStateException("unreachable: a nil channel never wakes its waiters");
        }
        if (!block && empty()) {
            if (!closed) {
                return WOULD_BLOCK;
            }
            if (empty()) {
                return CLOSED;
            }
        }
        lock.lock();
        if (closed) {
            if (qcount == 0) {
                lock.unlock();
                return CLOSED;
            }
        } else {
            Sudog sg = sendq.dequeue();
            if (sg != null) {
                return recv(sg, self);
            }
        }
        if (qcount > 0) {
            T v = takeBuffered();
            lock.unlock();
            return v;
        }
        if (!block) {
            lock.unlock();
            return WOULD_BLOCK;
        }
        Sudog mysg = parkOn(self, recvq, null, WaitReason.CHAN_RECEIVE);
        Object v = mysg.success ? mysg.elem : CLOSED;
        mysg.elem = null;
        Sudog.release(mysg);
        return v;
    }

    /**
     * Queues the calling goroutine {@code self} on {@code q} with {@code elem} and parks it; the park's commit
     * releases the lock held by the caller. Returns the sudog, detached from the channel, once a partner or a
     * close has completed it: the caller reads {@code success} and {@code elem}, then releases it.
     */
    private Sudog parkOn(G self, WaitQ q, Object elem, WaitReason reason) {
        G gp = self != null ? self : Park.getg(); // off a goroutine: getg explains that blocking needs one
        Sudog mysg = Sudog.acquire(gp);
        mysg.elem = elem;
        mysg.isSelect = false;
        mysg.c = this;
        gp.waiting = mysg;
        gp.param = null;
        q.enqueue(mysg);
        Park.gopark(gp, Chan::parkCommit, this, reason);
        gp.waiting = null;
        gp.param = null;
        mysg.c = null;
        return mysg;
    }

    /**
     * Hands {@code v} to the waiting receiver {@code sg} and readies it (send) onto the P of {@code self}, the
     * calling goroutine (null: the scheduler, see {@link Park#goready(G, G)}). Called with the lock held;
     * releases it.
     */
    void send(Sudog sg, Object v, G self) {
        if (dataqsiz > 0) {
            // Keep the fiction that the value went through the (empty) buffer, as Go does.
            recvx = next(recvx);
            sendx = recvx;
        }
        sg.elem = v;
        completeAndUnlock(sg, self);
    }

    /** Releases the lock and readies the partner whose exchange {@code sg} has just completed, by {@code self}. */
    private void completeAndUnlock(Sudog sg, G self) {
        G gp = sg.g;
        lock.unlock();
        gp.param = sg;
        sg.success = true;
        Park.goready(gp, self);
    }

    /**
     * Takes a value from the waiting sender {@code sg} — directly when unbuffered, else the buffer head with
     * the sender's value going to the tail — and readies the sender (recv) by {@code self}, as
     * {@link #send}. Called with the lock held; releases it.
     */
    @SuppressWarnings("unchecked")
    T recv(Sudog sg, G self) {
        T v;
        if (dataqsiz == 0) {
            v = (T) sg.elem;
        } else {
            v = (T) buf[recvx];
            buf[recvx] = sg.elem;
            recvx = next(recvx);
            sendx = recvx;
        }
        sg.elem = null;
        completeAndUnlock(sg, self);
        return v;
    }

    /** Buffer receive; the caller holds the lock and has checked {@code qcount > 0}. */
    @SuppressWarnings("unchecked")
    T takeBuffered() {
        T v = (T) buf[recvx];
        buf[recvx] = null;
        recvx = next(recvx);
        qcount--;
        return v;
    }

    /** Buffer send; the caller holds the lock and has checked {@code qcount < cap}. */
    void putBuffered(Object v) {
        buf[sendx] = v;
        sendx = next(sendx);
        qcount++;
    }

    boolean hasBufferSpace() {
        return qcount < dataqsiz;
    }

    boolean hasBuffered() {
        return qcount > 0;
    }

    boolean isClosed() {
        return closed;
    }

    private int next(int i) {
        return i + 1 == dataqsiz ? 0 : i + 1;
    }

    /** {@code close(c)}: wakes every waiter; blocked senders then panic, receivers get the zero value. */
    public void close() {
        Park.checkpoint();
        if (isNil) {
            throw new RuntimePanic("close of nil channel");
        }
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new RuntimePanic("close of closed channel");
        }
        closed = true;
        List<G> woken = new ArrayList<>();
        Sudog sg;
        while ((sg = recvq.dequeue()) != null) {
            wakeForClose(sg, woken);
        }
        while ((sg = sendq.dequeue()) != null) {
            wakeForClose(sg, woken);
        }
        lock.unlock();
        for (G gp : woken) {
            Park.goready(gp);
        }
    }

    private static void wakeForClose(Sudog sg, List<G> woken) {
        sg.elem = null;
        sg.g.param = sg;
        sg.success = false;
        woken.add(sg.g);
    }

    private static boolean parkCommit(G gp, Chan<?> c) {
        c.lock.unlock();
        return true;
    }

    @Override
    public String toString() {
        return isNil ? "chan(nil)" : "chan(" + qcount + "/" + dataqsiz + (closed ? ", closed)" : ")");
    }
}
