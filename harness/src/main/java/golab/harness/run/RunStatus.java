package golab.harness.run;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether a run folder holds a finished run. A run writes its manifest as {@link #INCOMPLETE}
 * before measuring and rewrites it as {@link #COMPLETE} last, so a run that was interrupted or
 * crashed leaves a folder that says so.
 */
public enum RunStatus {
    INCOMPLETE("incomplete"),
    COMPLETE("complete");

    private final String json;

    RunStatus(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
