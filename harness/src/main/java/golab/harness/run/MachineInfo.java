package golab.harness.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a run measured on: results from different CPUs or core counts are not comparable,
 * and on a small machine the core count bounds what GOMAXPROCS can show.
 *
 * @param cores       the processors this JVM may use (container and affinity limits included)
 * @param memoryBytes the machine's physical memory
 */
public record MachineInfo(String cpuModel, int cores, long memoryBytes, String os) {

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    public static MachineInfo current() {
        return new MachineInfo(
                cpuModel(readCpuinfo()),
                Runtime.getRuntime().availableProcessors(),
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getTotalMemorySize(),
                System.getProperty("os.name") + " " + System.getProperty("os.version")
                        + " (" + System.getProperty("os.arch") + ")");
    }

    /**
     * The CPU model named in {@code /proc/cpuinfo} text: x86 writes it as {@code model name},
     * some ARM kernels as {@code Hardware} or {@code Processor}; {@code unknown} when none is there.
     */
    static String cpuModel(String cpuinfo) {
        for (String field : new String[] {"model name", "Hardware", "Processor", "cpu model"}) {
            for (String line : cpuinfo.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(field)) {
                    String value = line.substring(colon + 1).trim();
                    if (!value.isEmpty()) {
                        return value;
                    }
                }
            }
        }
        return "unknown";
    }

    private static String readCpuinfo() {
        try {
            return Files.readString(CPUINFO);
        } catch (IOException | SecurityException noProcFilesystem) {
            return "";
        }
    }
}
