package golab.runtime.chan;

import golab.runtime.sched.Sudog;

/**
 * A FIFO of waiting goroutines: Go's {@code waitq} ({@code recvq} / {@code sendq} of a channel), doubly
 * linked through {@link Sudog#next} and {@link Sudog#prev}. Protected by the channel's lock.
 */
final class WaitQ {

    private Sudog first;
    private Sudog last;

    /** Calls {@code action} for every queued sudog, first to last. */
    void forEach(java.util.function.Consumer<Sudog> action) {
        for (Sudog sg = first; sg != null; sg = sg.next) {
            action.accept(sg);
        }
    }

    boolean isEmpty() {
        return first == null;
    }

    void enqueue(Sudog sg) {
        sg.next = null;
        Sudog x = last;
        if (x == null) {
            sg.prev = null;
            first = sg;
            last = sg;
            return;
        }
        sg.prev = x;
        x.next = sg;
        last = sg;
    }

    /**
     * Removes and returns the first waiter that can still be woken. A select's sudog whose goroutine was
     * already won by another case (it lost the {@code selectDone} race) is dropped: that goroutine will
     * remove its other sudogs itself once it holds the locks.
     */
    Sudog dequeue() {
        while (true) {
            Sudog sg = first;
            if (sg == null) {
                return null;
            }
            Sudog y = sg.next;
            if (y == null) {
                first = null;
                last = null;
            } else {
                y.prev = null;
                first = y;
                sg.next = null;
            }
            if (sg.isSelect && !sg.g.winSelect()) {
                continue;
            }
            return sg;
        }
    }

    /** Unlinks {@code sg} wherever it is, if it is still queued here (dequeueSudoG). */
    void remove(Sudog sg) {
        Sudog x = sg.prev;
        Sudog y = sg.next;
        if (x != null) {
            if (y != null) {
                x.next = y;
                y.prev = x;
                sg.next = null;
                sg.prev = null;
                return;
            }
            x.next = null;
            last = x;
            sg.prev = null;
            return;
        }
        if (y != null) {
            y.prev = null;
            first = y;
            sg.next = null;
            return;
        }
        if (first == sg) {
            first = null;
            last = null;
        }
    }
}
