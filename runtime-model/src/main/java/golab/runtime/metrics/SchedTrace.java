package golab.runtime.metrics;

/**
 * {@code GODEBUG=schedtrace=X[,scheddetail=1]} output in Go 1.21+'s exact format (proc.go
 * {@code schedtrace}), e.g.
 * <pre>
 * SCHED 107ms: gomaxprocs=2 idleprocs=0 threads=4 spinningthreads=0 needspinning=0 idlethreads=0 runqueue=1 [0 0]
 * </pre>
 * With detail the summary ends in {@code gcwaiting=... stopwait=... sysmonwait=...} and is followed by one
 * line per P, M and G. golab does not model {@code mallocing}, {@code throwing}, {@code preemptoff},
 * {@code locks}, {@code dying} or locked threads; those fields print Go's idle values.
 */
public final class SchedTrace {

    private SchedTrace() {
    }

    /** The trace block for {@code state}, {@code millis} after the first trace of the run, newline-terminated. */
    public static String format(SchedState s, long millis, boolean detailed) {
        StringBuilder out = new StringBuilder();
        out.append("SCHED ").append(millis).append("ms: gomaxprocs=").append(s.gomaxprocs())
                .append(" idleprocs=").append(s.idleprocs())
                .append(" threads=").append(s.threads())
                .append(" spinningthreads=").append(s.spinningthreads())
                .append(" needspinning=").append(s.needspinning())
                .append(" idlethreads=").append(s.idlethreads())
                .append(" runqueue=").append(s.runqueue());
        if (detailed) {
            out.append(" gcwaiting=").append(s.gcwaiting())
                    .append(" nmidlelocked=").append(s.nmidlelocked())
                    .append(" stopwait=").append(s.stopwait())
                    .append(" sysmonwait=").append(s.sysmonwait()).append('\n');
            for (SchedState.PState p : s.ps()) {
                out.append("  P").append(p.id()).append(": status=").append(p.status())
                        .append(" schedtick=").append(p.schedtick())
                        .append(" syscalltick=").append(p.syscalltick())
                        .append(" m=").append(ref(p.m()))
                        .append(" runqsize=").append(p.runqsize())
                        .append(" gfreecnt=").append(p.gfreecnt())
                        .append(" timerslen=").append(p.timerslen()).append('\n');
            }
            for (SchedState.MState m : s.ms()) {
                out.append("  M").append(m.id()).append(": p=").append(ref(m.p()))
                        .append(" curg=").append(ref(m.curg()))
                        .append(" mallocing=0 throwing=0 preemptoff= locks=0 dying=0")
                        .append(" spinning=").append(m.spinning())
                        .append(" blocked=").append(m.blocked())
                        .append(" lockedg=nil\n");
            }
            for (SchedState.GState g : s.gs()) {
                out.append("  G").append(g.goid()).append(": status=").append(g.status())
                        .append('(').append(g.waitReason()).append(") m=").append(ref(g.m()))
                        .append(" lockedm=nil\n");
            }
        } else {
            var ps = s.ps();
            for (int i = 0; i < ps.size(); i++) {
                out.append(i == 0 ? " [" : " ").append(ps.get(i).runqsize());
            }
            out.append("]\n");
        }
        return out.toString();
    }

    private static String ref(long id) {
        return id < 0 ? "nil" : Long.toString(id);
    }
}
