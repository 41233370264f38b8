package golab.runtime.sched;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Goroutine dumps in Go's format (traceback.go): a header {@code goroutine N [status]:} (with
 * {@code , M minutes} after one minute of waiting), the goroutine's frames as {@code function(...)} over a
 * tab-indented {@code File.java:line}, and {@code created by function in goroutine P} with the site of the
 * {@code go} statement. As in Go, the runtime's own frames are hidden.
 */
public final class Traceback {

    private static final CodeSource RUNTIME_CODE = G.class.getProtectionDomain().getCodeSource();
    private static final ClassValue<Boolean> RUNTIME_CLASS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return type.getPackageName().startsWith("golab.runtime")
                    && Objects.equals(type.getProtectionDomain().getCodeSource(), RUNTIME_CODE);
        }
    };
    private static final ConcurrentHashMap<String, Boolean> RUNTIME_CLASS_NAME = new ConcurrentHashMap<>();

    private Traceback() {
    }

    /** Whether {@code type} is part of the runtime itself (its frames are hidden from dumps). */
    static boolean isRuntimeClass(Class<?> type) {
        return RUNTIME_CLASS.get(type);
    }

    /** Every goroutine that is not dead, each as Go prints it, separated by blank lines. */
    static String all(Sched sched) {
        StringBuilder out = new StringBuilder();
        for (G gp : sched.allgs()) {
            GStatus s = gp.status();
            if (s == GStatus.DEAD || s == GStatus.IDLE || gp.system) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append('\n');
            }
            appendGoroutine(out, gp, frames(gp));
        }
        return out.toString();
    }

    /** The calling goroutine's own stack, as a dump. */
    static String current(G gp) {
        StringBuilder out = new StringBuilder();
        appendGoroutine(out, gp, Arrays.asList(new Throwable().getStackTrace()));
        return out.toString();
    }

    /** The report of a goroutine that ended with {@code cause}: {@code panic: cause}, then its stack. */
    static String panicking(G gp, Throwable cause) {
        StringBuilder out = new StringBuilder();
        out.append("panic: ").append(cause).append("\n\n");
        out.append("goroutine ").append(gp.goid).append(" [running]:\n");
        appendFrames(out, Arrays.asList(cause.getStackTrace()));
        appendCreatedBy(out, gp);
        return out.toString();
    }

    private static List<StackTraceElement> frames(G gp) {
        var cont = gp.cont;
        GStatus s = gp.status();
        if (cont == null || s == GStatus.RUNNING) {
            return null; // mounted on another thread: its stack cannot be read safely
        }
        try {
            return Arrays.asList(cont.getStackTrace());
        } catch (RuntimeException mountedMeanwhile) {
            return null;
        }
    }

    private static void appendGoroutine(StringBuilder out, G gp, List<StackTraceElement> frames) {
        out.append("goroutine ").append(gp.goid).append(" [").append(statusText(gp)).append("]:\n");
        if (frames == null) {
            out.append("\tgoroutine running on other thread; stack unavailable\n");
        } else {
            appendFrames(out, frames);
        }
        appendCreatedBy(out, gp);
    }

    private static String statusText(G gp) {
        GStatus s = gp.status();
        String text = switch (s) {
            case WAITING -> gp.waitReason.toString();
            case RUNNABLE -> "runnable";
            case RUNNING -> "running";
            case SYSCALL -> "syscall";
            case IDLE -> "idle";
            case DEAD -> "dead";
            case PREEMPTED -> "preempted";
        };
        long since = gp.waitSince;
        if (s == GStatus.WAITING && since != 0) {
            long minutes = (System.nanoTime() - since) / 60_000_000_000L;
            if (minutes >= 1) {
                text += ", " + minutes + (minutes == 1 ? " minute" : " minutes");
            }
        }
        return text;
    }

    private static void appendFrames(StringBuilder out, List<StackTraceElement> frames) {
        for (StackTraceElement f : userFrames(frames)) {
            out.append(f.getClassName()).append('.').append(f.getMethodName()).append("(...)\n");
            out.append('\t').append(f.getFileName() == null ? "?" : f.getFileName()).append(':')
                    .append(f.getLineNumber()).append('\n');
        }
    }

    private static void appendCreatedBy(StringBuilder out, G gp) {
        CreationSite site = gp.createdBy;
        if (site == null || gp.parentGoid == 0) {
            return;
        }
        out.append("created by ").append(site.function()).append(" in goroutine ").append(gp.parentGoid).append('\n');
        out.append('\t').append(site.file()).append(':').append(site.line()).append('\n');
    }

    private static List<StackTraceElement> userFrames(List<StackTraceElement> frames) {
        List<StackTraceElement> shown = new ArrayList<>();
        for (StackTraceElement f : frames) {
            String c = f.getClassName();
            if (c.startsWith("jdk.internal.vm.") || c.equals("java.lang.Thread") || isRuntimeClassName(c)) {
                continue;
            }
            shown.add(f);
        }
        return shown;
    }

    private static boolean isRuntimeClassName(String name) {
        if (!name.startsWith("golab.runtime")) {
            return false;
        }
        return RUNTIME_CLASS_NAME.computeIfAbsent(name, n -> {
            try {
                return isRuntimeClass(Class.forName(n, false, G.class.getClassLoader()));
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        });
    }
}
