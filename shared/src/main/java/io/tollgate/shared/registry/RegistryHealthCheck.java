package io.tollgate.shared.registry;

import com.codahale.metrics.health.HealthCheck;

/** Healthy once the registry view has caught up with the topic, and while it keeps following it. */
public class RegistryHealthCheck extends HealthCheck {
    private final RegistryView view;

    public RegistryHealthCheck(RegistryView view) {
        this.view = view;
    }

    @Override
    protected Result check() {
        if (view.failure() != null) {
            return Result.unhealthy(view.failure());
        }
        return view.isReady()
                ? Result.healthy("%d applications, %d plans", view.applications().size(), view.plans().size())
                : Result.unhealthy("registry view still loading");
    }
}
