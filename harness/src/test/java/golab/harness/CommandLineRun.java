package golab.harness;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The outcome of running the golab command line in-process: exit code and both outputs. */
public record CommandLineRun(int exitCode, String out, String err) {

    public static CommandLineRun of(String... args) {
        CommandLine golab = Golab.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        golab.setOut(new PrintWriter(out, true));
        golab.setErr(new PrintWriter(err, true));
        int exitCode = golab.execute(args);
        return new CommandLineRun(exitCode, out.toString(), err.toString());
    }
}
