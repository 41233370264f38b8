package golab.runtime.sched;

import static org.assertj.core.api.Assertions.assertThat;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void spawnsAndSleeps() {
        AtomicInteger done = new AtomicInteger();
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), () -> {
            for (int i = 0; i < 1000; i++) {
                Go.go(done::incrementAndGet);
            }
            Go.sleep(Duration.ofMillis(50));
        });
        assertThat(done.get()).isEqualTo(1000);
    }
}
