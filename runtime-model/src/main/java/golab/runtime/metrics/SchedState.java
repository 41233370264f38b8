package golab.runtime.metrics;

import java.util.List;

/**
 * The scheduler's state read under its lock, as Go's {@code schedtrace} reads it: the summary counters
 * and, for {@code scheddetail}, every P, M and G. Fields are named after Go's.
 */
public record SchedState(int gomaxprocs, int idleprocs, long threads, int spinningthreads, int needspinning,
        int idlethreads, int runqueue, boolean gcwaiting, int nmidlelocked, int stopwait, boolean sysmonwait,
        List<PState> ps, List<MState> ms, List<GState> gs) {

    /** One P; {@code m} is -1 when it has none. */
    public record PState(int id, int status, int schedtick, int syscalltick, long m, int runqsize, int gfreecnt,
            int timerslen) {
    }

    /** One M; {@code p} and {@code curg} are -1 when absent. */
    public record MState(long id, int p, long curg, boolean spinning, boolean blocked) {
    }

    /** One G; {@code m} is -1 when it is not on an M. */
    public record GState(long goid, int status, String waitReason, long m) {
    }
}
