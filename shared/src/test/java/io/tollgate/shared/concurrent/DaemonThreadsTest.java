package io.tollgate.shared.concurrent;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DaemonThreadsTest {

    @Test
    void namedThreadsAreDaemonsThatRunTheirTaskUnderTheName() throws Exception {
        ThreadFactory factory = DaemonThreads.named("projection-watcher");
        Thread first = factory.newThread(() -> { });
        Thread second = factory.newThread(() -> { });
        assertThat(first.isDaemon()).isTrue();
        assertThat(first.getName()).isEqualTo("projection-watcher");
        assertThat(second.getName()).isEqualTo("projection-watcher");

        ExecutorService executor = Executors.newSingleThreadExecutor(factory);
        try {
            assertThat(executor.submit(() -> Thread.currentThread().getName() + " " + Thread.currentThread().isDaemon())
                    .get(10, TimeUnit.SECONDS)).isEqualTo("projection-watcher true");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void numberedThreadsCountFromOnePerFactory() {
        ThreadFactory workers = DaemonThreads.numbered("gateway-worker");
        assertThat(workers.newThread(() -> { }).getName()).isEqualTo("gateway-worker-1");
        Thread second = workers.newThread(() -> { });
        assertThat(second.getName()).isEqualTo("gateway-worker-2");
        assertThat(second.isDaemon()).isTrue();
        assertThat(DaemonThreads.numbered("gateway-worker").newThread(() -> { }).getName())
                .isEqualTo("gateway-worker-1");
    }
}
