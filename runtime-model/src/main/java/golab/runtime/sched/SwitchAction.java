package golab.runtime.sched;

/**
 * What a goroutine asks its M to do once it has yielded: the function Go passes to {@code mcall}. The M
 * performs it with the goroutine's continuation already unmounted ({@link M#afterSwitch}).
 */
enum SwitchAction {
    /** park_m: mark waiting, then run the park's unlock callback. */
    PARK,
    /** gosched_m / gopreempt_m: back to the tail of the global run queue. */
    GOSCHED,
    /** preemptPark: stop, on no queue, for the stack scan that asked ({@link GStatus#PREEMPTED}). */
    PREEMPT_PARK,
    /** goyield_m: back to the tail of this P's local run queue (after a direct hand-off). */
    GOYIELD,
    /** A blocking call: the M makes it on its own stack with the P released (entersyscall ... exitsyscall). */
    SYSCALL,
    /** The run is over: leave the goroutine where it is and stop the M (Go's exit abandons goroutines). */
    ABANDON
}
