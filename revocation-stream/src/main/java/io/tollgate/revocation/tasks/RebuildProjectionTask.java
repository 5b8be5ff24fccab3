package io.tollgate.revocation.tasks;

import io.dropwizard.servlets.tasks.Task;
import io.tollgate.revocation.kafka.ProjectionWatcher;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code POST /tasks/rebuild-projection}: rebuild Redis from Kafka now; progress in {@code tg:projection}. */
public final class RebuildProjectionTask extends Task {
    private final ProjectionWatcher watcher;

    public RebuildProjectionTask(ProjectionWatcher watcher) {
        super("rebuild-projection");
        this.watcher = watcher;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        watcher.requestRebuild();
        output.println("rebuild started; progress in tg:projection and metric projection.rebuild.progress");
    }
}
