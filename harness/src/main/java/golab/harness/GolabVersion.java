package golab.harness;

import org.openjdk.jmh.util.Version;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code golab --version}: the golab build, the JMH it measures with and the JDK it runs on,
 * the three versions a result depends on.
 */
public final class GolabVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
            "golab " + golabVersion(),
            "JMH " + Version.getPlainVersion(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                    + System.getProperty("java.home") + ")"
        };
    }

    /** The Implementation-Version that the build writes into golab.jar's manifest. */
    public static String golabVersion() {
        String version = Golab.class.getPackage().getImplementationVersion();
        return version != null ? version : "(development build, not from golab.jar)";
    }
}
