package golab.runtime.chan;

import golab.runtime.RuntimePanic;
import golab.runtime.gc.Refs;
import golab.runtime.heap.Ref;
import golab.runtime.sched.G;
import golab.runtime.sched.Park;
import golab.runtime.sched.Sudog;
import golab.runtime.sched.WaitReason;

/**
 * Go's {@code select} statement: select.go's {@code selectgo}.
 *
 * <pre>{@code
 * var in = Select.recv(requests);
 * var out = Select.send(replies, r);
 * switch (Select.select(in, out)) {
 *     case 0 -> handle(in.value());
 *     case 1 -> sent();
 * }
 * }</pre>
 *
 * <h2>Design (after select.go)</h2>
 * <ol>
 * <li>Poll order: the cases in a uniformly random order, so no ready case is favoured; nil-channel cases
 *     are dropped.</li>
 * <li>Lock order: the cases sorted by channel identity, so that two selects over the same channels take
 *     their locks in the same order; each distinct channel is locked once.</li>
 * <li>Pass 1: in poll order, the first case that can proceed now wins.</li>
 * <li>Otherwise, with a default, return -1. Without one, pass 2: queue a sudog on every channel and park;
 *     whichever channel operation first wins the goroutine's {@code selectDone} race completes its case.</li>
 * <li>Pass 3: relock everything and unqueue the sudogs of the cases that lost.</li>
 * </ol>
 */
public final class Select {

    private Select() {
    }

    /** One case of a select. */
    public abstract static sealed class Case permits Recv, Send {
        final Chan<?> c;

        Case(Chan<?> c) {
            if (c == null) {
                throw new IllegalArgumentException("select case on a null channel reference; use Chan.nil() for a nil channel");
            }
            this.c = c;
        }

        /** Whether the case is a send. */
        abstract boolean isSend();
    }

    /** {@code case v, ok := <-c}: after the select chose it, {@link #value()} and {@link #ok()}. */
    public static final class Recv<T> extends Case {
        private T value;
        private boolean ok;

        Recv(Chan<T> c) {
            super(c);
        }

        /** The value received, or null if the channel was closed. */
        public T value() {
            return value;
        }

        /** False only if the receive got the zero value because the channel was closed. */
        public boolean ok() {
            return ok;
        }

        @SuppressWarnings("unchecked")
        void received(Object v, boolean ok) {
            if (v instanceof Ref r) {
                Refs.moved(r, null); // left the channel: shade it if a cycle is marking
            }
            this.value = (T) v;
            this.ok = ok;
        }

        @Override
        boolean isSend() {
            return false;
        }
    }

    /** {@code case c <- v}. */
    public static final class Send<T> extends Case {
        final T value;

        Send(Chan<T> c, T value) {
            super(c);
            if (value == null) {
                throw new IllegalArgumentException("select send case of null: golab channels carry non-null values");
            }
            this.value = value;
        }

        @Override
        boolean isSend() {
            return true;
        }
    }

    /** A receive case on {@code c}. */
    public static <T> Recv<T> recv(Chan<T> c) {
        return new Recv<>(c);
    }

    /** A send case of {@code v} on {@code c}. */
    public static <T> Send<T> send(Chan<T> c, T v) {
        return new Send<>(c, v);
    }

    /**
     * Blocks until one case can proceed, performs it and returns its index. With no cases (or only nil
     * channels) it blocks forever, as {@code select {}} does.
     */
    public static int select(Case... cases) {
        return selectgo(checked(cases), true);
    }

    /** As {@link #select} with a {@code default} branch: returns -1 at once if no case can proceed. */
    public static int selectOrDefault(Case... cases) {
        return selectgo(checked(cases), false);
    }

    private static Case[] checked(Case[] cases) {
        if (cases == null) {
            throw new IllegalArgumentException("select: cases must not be null");
        }
        for (int i = 0; i < cases.length; i++) {
            if (cases[i] == null) {
                throw new IllegalArgumentException("select: case " + i + " is null");
            }
        }
        return cases;
    }

    /** A Ref sent by a select case entered its channel: register the channel, shade it if marking. */
    private static void sentRef(Send<?> s) {
        if (s.value instanceof Ref r) {
            Refs.moved(r, s.c);
        }
    }

    private static int selectgo(Case[] cases, boolean block) {
        G self = Park.getgOrNull(); // looked up once: a select may check, ready and park
        Park.checkpoint(self);
        int ncases = cases.length;
        int[] pollorder = new int[ncases];
        int norder = 0;
        for (int i = 0; i < ncases; i++) {
            if (cases[i].c.isNil()) {
                continue;
            }
            int j = Park.cheaprandn(norder + 1);
            pollorder[norder] = pollorder[j];
            pollorder[j] = i;
            norder++;
        }
        if (norder == 0) {
            if (!block) {
                return -1;
            }
            Park.gopark(null, null, ncases == 0 ? WaitReason.SELECT_NO_CASES : WaitReason.SELECT);
            throw new IllegalStateException("unreachable: an empty select never wakes");
        }
        int[] lockorder = lockOrder(cases, pollorder, norder);

        sellock(cases, lockorder, norder);
        // Pass 1: the first ready case in poll order.
        for (int k = 0; k < norder; k++) {
            int i = pollorder[k];
            Case cas = cases[i];
            Chan<?> c = cas.c;
            if (cas instanceof Send<?> s) {
                if (c.isClosed()) {
                    selunlock(cases, lockorder, norder);
                    throw new RuntimePanic("send on closed channel");
                }
                Sudog sg = c.recvq.dequeue();
                if (sg != null) {
                    unlockAllBut(cases, lockorder, norder, c);
                    sentRef(s);
                    c.send(sg, s.value, self);
                    return i;
                }
                if (c.hasBufferSpace()) {
                    sentRef(s);
                    c.putBuffered(s.value);
                    selunlock(cases, lockorder, norder);
                    return i;
                }
            } else {
                Recv<?> r = (Recv<?>) cas;
                Sudog sg = c.sendq.dequeue();
                if (sg != null) {
                    unlockAllBut(cases, lockorder, norder, c);
                    r.received(c.recv(sg, self), true);
                    return i;
                }
                if (c.hasBuffered()) {
                    r.received(c.takeBuffered(), true);
                    selunlock(cases, lockorder, norder);
                    return i;
                }
                if (c.isClosed()) {
                    r.received(null, false);
                    selunlock(cases, lockorder, norder);
                    return i;
                }
            }
        }
        if (!block) {
            selunlock(cases, lockorder, norder);
            return -1;
        }

        // Pass 2: queue on every channel, in lock order, and park.
        G gp = self != null ? self : Park.getg(); // off a goroutine: getg explains that blocking needs one
        gp.param = null;
        Sudog head = null;
        Sudog tail = null;
        for (int k = 0; k < norder; k++) {
            Case cas = cases[lockorder[k]];
            Sudog sg = Sudog.acquire(gp);
            sg.isSelect = true;
            sg.elem = cas instanceof Send<?> s ? s.value : null;
            if (sg.elem instanceof Ref r) {
                Refs.moved(r, cas.c);
            }
            sg.c = cas.c;
            if (head == null) {
                head = sg;
            } else {
                tail.waitlink = sg;
            }
            tail = sg;
            (cas.isSend() ? cas.c.sendq : cas.c.recvq).enqueue(sg);
        }
        gp.waiting = head;
        Park.gopark(gp, Select::parkCommit, new Unlock(cases, lockorder, norder), WaitReason.SELECT);

        // Pass 3: the winner is in gp.param; unqueue the others. selectDone is re-armed only under all the
        // locks, so no channel can dequeue one of our losing sudogs and win us a second time.
        sellock(cases, lockorder, norder);
        gp.resetSelect();
        Sudog won = (Sudog) gp.param;
        gp.param = null;
        Sudog sglist = gp.waiting;
        gp.waiting = null;
        int chosen = -1;
        boolean success = false;
        Object received = null;
        for (int k = 0; k < norder; k++) {
            int i = lockorder[k];
            Case cas = cases[i];
            if (sglist == won) {
                chosen = i;
                success = won.success;
                received = won.elem;
            } else {
                (cas.isSend() ? cas.c.sendq : cas.c.recvq).remove(sglist);
            }
            Sudog next = sglist.waitlink;
            sglist.waitlink = null;
            sglist.isSelect = false;
            sglist.elem = null;
            sglist.c = null;
            Sudog.release(sglist);
            sglist = next;
        }
        if (chosen < 0) {
            throw new IllegalStateException("selectgo: bad wakeup");
        }
        selunlock(cases, lockorder, norder);
        Case cas = cases[chosen];
        if (cas.isSend()) {
            if (!success) {
                throw new RuntimePanic("send on closed channel");
            }
        } else {
            ((Recv<?>) cas).received(success ? received : null, success);
        }
        return chosen;
    }

    /** The case indices of {@code pollorder[0..n)} sorted by channel identity (Go sorts by hchan address). */
    private static int[] lockOrder(Case[] cases, int[] pollorder, int n) {
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            int j = k;
            int i = pollorder[k];
            long id = cases[i].c.id;
            while (j > 0 && cases[order[j - 1]].c.id > id) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        return order;
    }

    private static void sellock(Case[] cases, int[] lockorder, int n) {
        Chan<?> last = null;
        for (int k = 0; k < n; k++) {
            Chan<?> c = cases[lockorder[k]].c;
            if (c != last) {
                c.lock.lock();
                last = c;
            }
        }
    }

    private static void selunlock(Case[] cases, int[] lockorder, int n) {
        for (int k = n - 1; k >= 0; k--) {
            Chan<?> c = cases[lockorder[k]].c;
            if (k > 0 && c == cases[lockorder[k - 1]].c) {
                continue; // unlock each distinct channel once, at its first position
            }
            c.lock.unlock();
        }
    }

    /** Unlocks every channel but {@code keep}, whose lock the send/recv helper releases itself. */
    private static void unlockAllBut(Case[] cases, int[] lockorder, int n, Chan<?> keep) {
        for (int k = n - 1; k >= 0; k--) {
            Chan<?> c = cases[lockorder[k]].c;
            if ((k > 0 && c == cases[lockorder[k - 1]].c) || c == keep) {
                continue;
            }
            c.lock.unlock();
        }
    }

    private record Unlock(Case[] cases, int[] lockorder, int n) {
    }

    private static boolean parkCommit(G gp, Unlock u) {
        selunlock(u.cases, u.lockorder, u.n);
        return true;
    }
}
