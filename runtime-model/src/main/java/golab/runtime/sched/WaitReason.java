package golab.runtime.sched;

/**
 * Why a goroutine is {@link GStatus#WAITING}: Go's {@code waitReason} strings (runtime2.go), printed in
 * goroutine dumps ({@code goroutine 6 [chan receive]:}) and {@code scheddetail} lines.
 */
public enum WaitReason {
    ZERO(""),
    CHAN_SEND("chan send"),
    CHAN_RECEIVE("chan receive"),
    CHAN_SEND_NIL_CHAN("chan send (nil chan)"),
    CHAN_RECEIVE_NIL_CHAN("chan receive (nil chan)"),
    SELECT("select"),
    SELECT_NO_CASES("select (no cases)"),
    SLEEP("sleep"),
    SEMACQUIRE("semacquire"),
    SYNC_COND_WAIT("sync.Cond.Wait"),
    SYNC_MUTEX_LOCK("sync.Mutex.Lock"),
    STOPPING_THE_WORLD("stopping the world"),
    GC_ASSIST_MARKING("GC assist marking"),
    GC_ASSIST_WAIT("GC assist wait"),
    GC_SWEEP_WAIT("GC sweep wait"),
    GC_WORKER_IDLE("GC worker (idle)"),
    GC_WORKER_ACTIVE("GC worker (active)"),
    GARBAGE_COLLECTION("garbage collection"),
    WAIT_FOR_GC_CYCLE("wait for GC cycle"),
    PREEMPTED("preempted"),
    IO_WAIT("IO wait");

    private final String text;

    WaitReason(String text) {
        this.text = text;
    }

    /**
     * Whether the goroutine is not parked but marking for the collector, WAITING only so that its stack can be
     * scanned meanwhile (Go's {@code waitReason.isWaitingForGC}): see {@link Park#beginMarking}.
     */
    public boolean isMarking() {
        return this == GC_WORKER_ACTIVE || this == GC_ASSIST_MARKING;
    }

    /** Go's string for this reason. */
    @Override
    public String toString() {
        return text;
    }
}
