package io.tollgate.revocation.tasks;

import com.codahale.metrics.Counter;
import io.dropwizard.servlets.tasks.Task;
import io.tollgate.revocation.kafka.ProjectionWatcher;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /tasks/rebuild-projection} (operators only, like every admin task): rebuild Redis from Kafka now;
 * progress in {@code tg:projection}. {@code requests} counts the rebuilds asked for this way.
 */
public final class RebuildProjectionTask extends Task {
    private final ProjectionWatcher watcher;
    private final Counter requests;

    public RebuildProjectionTask(ProjectionWatcher watcher, Counter requests) {
        super("rebuild-projection");
        this.watcher = watcher;
        this.requests = requests;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        requests.inc();
        watcher.requestRebuild();
        output.println("rebuild started; progress in tg:projection and metric projection.rebuild.progress");
    }
}
