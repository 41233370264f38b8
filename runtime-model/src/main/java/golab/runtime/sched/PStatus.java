package golab.runtime.sched;

/** A P's status, Go's {@code _Pidle ... _Pdead} (runtime2.go), with Go's numbers. */
public enum PStatus {
    /** On the idle list or in transition; its run queue is empty. */
    IDLE(0),
    /** Owned by an M running user code or the scheduler. */
    RUNNING(1),
    /** Its M is in a blocking call; not owned, so sysmon or an exiting syscall may take it by CAS. */
    SYSCALL(2),
    /** Halted for stop-the-world; keeps its run queue. */
    GCSTOP(3),
    /** Beyond GOMAXPROCS; kept for reuse. */
    DEAD(4);

    /** Go's numeric value of the status. */
    public final int code;

    PStatus(int code) {
        this.code = code;
    }
}
