package golab.harness.run;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The JDK a run measured with. JMH forks use the same {@code java} as the harness and inherit
 * its {@code jvmFlags}, so these describe the measured JVMs too.
 */
public record JdkInfo(String version, String vendor, String vmName, String vmVersion, String home, List<String> jvmFlags) {

    public JdkInfo {
        jvmFlags = List.copyOf(jvmFlags);
    }

    public static JdkInfo current() {
        return new JdkInfo(
                System.getProperty("java.version"),
                System.getProperty("java.vendor"),
                System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"),
                System.getProperty("java.home"),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
    }
}
