package golab.runtime.chan;

/**
 * The result of a two-value receive, Go's {@code v, ok := <-c}: {@code ok} is false only when the value
 * is the zero value because the channel is closed and drained.
 *
 * @param <T> the element type
 */
public record Received<T>(T value, boolean ok) {
}
