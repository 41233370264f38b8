package golab.harness.report;

import java.util.Optional;

/**
 * Who runs a benchmark method, told by its name's prefix: golab's goroutines, or a JVM baseline
 * doing the same work. Methods that do the same work share the rest of the name, their group:
 * {@code golabSpawn}, {@code virtualThreadsSpawn} and {@code platformThreadsSpawn} form the
 * group {@code Spawn}.
 */
public enum Contender {
    GOLAB("golab"),
    VIRTUAL_THREADS("virtualThreads"),
    PLATFORM_THREADS("platformThreads");

    private final String prefix;

    Contender(String prefix) {
        this.prefix = prefix;
    }

    /** The method of this contender in {@code group}: {@code virtualThreads} and {@code Spawn} make {@code virtualThreadsSpawn}. */
    public String method(String group) {
        return prefix + group;
    }

    /** A method name split into contender and group. */
    public record Method(Contender contender, String group) {}

    /**
     * Splits {@code method} when it is a prefix followed by nothing or by a capitalised group
     * name; {@code golabel} or {@code virtualThreadsafe} are not contenders.
     */
    public static Optional<Method> of(String method) {
        for (Contender contender : values()) {
            if (method.startsWith(contender.prefix)) {
                String group = method.substring(contender.prefix.length());
                if (group.isEmpty() || Character.isUpperCase(group.charAt(0))) {
                    return Optional.of(new Method(contender, group));
                }
            }
        }
        return Optional.empty();
    }
}
