package golab.runtime.sched;

import java.lang.StackWalker.Option;
import java.lang.StackWalker.StackFrame;
import java.util.Set;

/**
 * Where a {@code go} statement was executed: Go's {@code gopc}, printed in dumps as
 * {@code created by pkg.Class.method in goroutine N}.
 *
 * <p>Walking the stack costs about half a microsecond, more than the rest of a spawn. A lambda or method
 * reference is a hidden class made for exactly one source location, so its site is walked once and cached
 * per class; other {@link Runnable} classes can be instantiated in many places and are walked every time.
 */
public record CreationSite(String function, String file, int line) {

    private static final StackWalker WALKER = StackWalker.getInstance(Set.of(Option.RETAIN_CLASS_REFERENCE));

    private static final ClassValue<CreationSite> SITE_OF_LAMBDA = new ClassValue<>() {
        @Override
        protected CreationSite computeValue(Class<?> type) {
            return walk();
        }
    };

    /** The site of the {@code go} statement that is spawning {@code fn} right now. */
    static CreationSite of(Runnable fn) {
        Class<?> type = fn.getClass();
        return type.isHidden() ? SITE_OF_LAMBDA.get(type) : walk();
    }

    private static CreationSite walk() {
        return WALKER.walk(frames -> frames
                .dropWhile(CreationSite::isRuntimeFrame)
                .findFirst()
                .map(CreationSite::from)
                .orElse(new CreationSite("?", "?", 0)));
    }

    private static boolean isRuntimeFrame(StackFrame frame) {
        Class<?> type = frame.getDeclaringClass();
        return Traceback.isRuntimeClass(type) || type.getName().startsWith("java.lang.ClassValue");
    }

    private static CreationSite from(StackFrame frame) {
        return new CreationSite(frame.getClassName() + "." + frame.getMethodName(),
                frame.getFileName() == null ? "?" : frame.getFileName(), frame.getLineNumber());
    }
}
