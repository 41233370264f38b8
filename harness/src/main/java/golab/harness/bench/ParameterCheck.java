package golab.harness.bench;

import golab.harness.report.RunKey;
import golab.runtime.gc.GcSettings;
import golab.workloads.WorkloadParameters;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/**
 * Checks {@code -p name=values} against the selected benchmarks before anything runs, so that a typo costs a
 * message rather than a run folder of failed forks: every name must be a parameter of some selected benchmark,
 * every value must convert to the {@code @Param} field's type and, for the parameters lab workloads share, be
 * valid in Go's syntax ({@link WorkloadParameters}); and no run may ask for a live heap whose heap goal exceeds
 * the machine's memory.
 */
public final class ParameterCheck {

    private ParameterCheck() {
    }

    /** A parameter or value that cannot run; the message names it and what is allowed. */
    public static final class BadParameter extends IllegalArgumentException {
        BadParameter(String message) {
            super(message);
        }
    }

    /**
     * Checks {@code given} (parameter name to values) for the {@code selected} benchmarks, whose runs are
     * {@code runs}, on a machine with {@code memoryBytes} of memory.
     */
    public static void check(Collection<BenchmarkListEntry> selected, Map<String, List<String>> given,
            List<RunKey> runs, long memoryBytes) {
        TreeSet<String> declared = new TreeSet<>();
        selected.forEach(entry -> declared.addAll(entry.getParams().orElse(Map.of()).keySet()));
        for (Map.Entry<String, List<String>> parameter : given.entrySet()) {
            String name = parameter.getKey();
            if (!declared.contains(name)) {
                throw new BadParameter("-p " + name + ": no selected benchmark has this parameter; theirs are "
                        + (declared.isEmpty() ? "none" : String.join(", ", declared)));
            }
            for (String value : parameter.getValue()) {
                checkValue(selected, name, value);
            }
        }
        for (RunKey run : runs) {
            checkHeapFits(run, memoryBytes);
        }
    }

    private static void checkValue(Collection<BenchmarkListEntry> selected, String name, String value) {
        try {
            WorkloadParameters.check(name, value);
        } catch (IllegalArgumentException e) {
            throw new BadParameter("-p " + name + "=" + value + ": " + e.getMessage());
        }
        for (BenchmarkListEntry entry : selected) {
            paramField(entry, name).ifPresent(field -> {
                if (!convertible(field.getType(), value)) {
                    throw new BadParameter("-p " + name + "=" + value + ": " + entry.getUsername() + " declares "
                            + name + " as " + field.getType().getSimpleName() + "; allowed values are "
                            + allowed(field.getType()));
                }
            });
        }
    }

    private static void checkHeapFits(RunKey run, long memoryBytes) {
        String live = run.params().get(WorkloadParameters.LIVE_HEAP);
        if (live == null) {
            return;
        }
        long liveBytes = WorkloadParameters.bytes(WorkloadParameters.LIVE_HEAP, live);
        String gogc = run.params().getOrDefault(WorkloadParameters.GOGC, "100");
        String limit = run.params().getOrDefault(WorkloadParameters.GOMEMLIMIT, "off");
        long goal = WorkloadParameters.heapGoal(liveBytes, GcSettings.parseGOGC(gogc), GcSettings.parseGOMEMLIMIT(limit));
        if (goal > memoryBytes) {
            throw new BadParameter("-p liveHeap=" + live + " (gogc=" + gogc + ", gomemlimit=" + limit + "): the heap "
                    + "would grow to " + gib(goal) + ", more than this machine's " + gib(memoryBytes)
                    + " of memory; lower liveHeap or gogc, or set gomemlimit (" + run.benchmark() + ")");
        }
    }

    /** The {@code @Param} field called {@code name} in the benchmark's class, its superclasses or nested states. */
    static Optional<Field> paramField(BenchmarkListEntry entry, String name) {
        Class<?> benchmark;
        try {
            benchmark = Class.forName(entry.getUserClassQName(), false, ParameterCheck.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
        List<Class<?>> candidates = new ArrayList<>();
        for (Class<?> c = benchmark; c != null; c = c.getSuperclass()) {
            candidates.add(c);
            candidates.addAll(List.of(c.getDeclaredClasses()));
        }
        for (Class<?> c : candidates) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getName().equals(name) && field.isAnnotationPresent(Param.class)) {
                    return Optional.of(field);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether JMH can convert {@code value} to a field of {@code type}, as it will in the fork. */
    static boolean convertible(Class<?> type, String value) {
        try {
            if (type == int.class || type == Integer.class) {
                Integer.parseInt(value);
            } else if (type == long.class || type == Long.class) {
                Long.parseLong(value);
            } else if (type == short.class || type == Short.class) {
                Short.parseShort(value);
            } else if (type == byte.class || type == Byte.class) {
                Byte.parseByte(value);
            } else if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
                Double.parseDouble(value);
            } else if (type == boolean.class || type == Boolean.class) {
                return value.equals("true") || value.equals("false");
            } else if (type == char.class || type == Character.class) {
                return value.length() == 1;
            } else if (type.isEnum()) {
                return List.of(type.getEnumConstants()).stream().anyMatch(c -> ((Enum<?>) c).name().equals(value));
            }
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String allowed(Class<?> type) {
        if (type.isEnum()) {
            return List.of(type.getEnumConstants()).toString();
        }
        return switch (type.getSimpleName()) {
            case "int", "Integer", "long", "Long", "short", "Short", "byte", "Byte" -> "whole numbers";
            case "double", "Double", "float", "Float" -> "numbers";
            case "boolean", "Boolean" -> "true and false";
            case "char", "Character" -> "single characters";
            default -> "strings";
        };
    }

    private static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
