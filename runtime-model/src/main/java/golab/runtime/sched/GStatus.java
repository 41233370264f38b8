package golab.runtime.sched;

/**
 * A goroutine's status, Go's {@code _Gidle ... _Gpreempted} (runtime2.go). The numbers are Go's, so
 * {@code scheddetail} dumps read the same.
 *
 * <p>Only the transitions Go's runtime makes are legal; {@link G#casgstatus} throws on any other, the
 * way Go throws "casgstatus: bad incoming values". The table below is the union of the transitions in
 * proc.go that this model performs.
 */
public enum GStatus {
    /** Just allocated, not yet initialised. */
    IDLE(0),
    /** On a run queue; not running; does not own its stack. */
    RUNNABLE(1),
    /** Running user code on an M that holds a P. */
    RUNNING(2),
    /** In a blocking call; has an M, may have lost its P. */
    SYSCALL(3),
    /**
     * Blocked in the runtime (channel, sleep, semaphore...) and recorded in some wait structure; or, with a
     * marking {@link WaitReason}, still running but marking for the collector (see {@link Park#beginMarking}).
     */
    WAITING(4),
    /** Unused: exited, or on a free list. */
    DEAD(6),
    /**
     * Stopped at a safepoint for a stack scan that asked it to (Go's suspendG with preemptStop): on no queue,
     * until the scanner claims it ({@link G#tryClaimPreempted}) and readies it after the scan.
     */
    PREEMPTED(9);

    /** Go's numeric value of the status. */
    public final int code;

    private static final GStatus[] BY_ORDINAL = values();

    /** The status with this {@link #ordinal()}. */
    static GStatus of(int ordinal) {
        return BY_ORDINAL[ordinal];
    }

    GStatus(int code) {
        this.code = code;
    }

    /** Bit {@code next.ordinal()} is set if Go moves a goroutine from this status straight to {@code next}. */
    private int successors;

    static {
        IDLE.successors = bits(DEAD);                              // newproc1 after malg
        DEAD.successors = bits(RUNNABLE);                          // newproc1
        RUNNABLE.successors = bits(RUNNING);                       // execute
        // gosched/preempt, park, syscall, exit, preemptPark
        RUNNING.successors = bits(RUNNABLE, WAITING, SYSCALL, DEAD, PREEMPTED);
        SYSCALL.successors = bits(RUNNING, RUNNABLE);              // exitsyscall fast / slow path
        WAITING.successors = bits(RUNNABLE, RUNNING);              // ready; end of a marking section
        PREEMPTED.successors = bits(WAITING);                      // suspendG's casGFromPreempted
    }

    private static int bits(GStatus... next) {
        int b = 0;
        for (GStatus s : next) {
            b |= 1 << s.ordinal();
        }
        return b;
    }

    /** Whether Go's runtime ever moves a goroutine from this status straight to {@code next}. */
    public boolean canBecome(GStatus next) {
        return (successors & (1 << next.ordinal())) != 0;
    }
}
