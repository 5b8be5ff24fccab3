package io.tollgate.gateway.core;

import java.util.List;

/** The steps in their explicit order; the first rejection ends the request. */
public final class Pipeline {
    private final List<Step> steps;

    public Pipeline(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    public Rejection run(Exchange exchange) {
        for (Step step : steps) {
            Rejection rejection = step.apply(exchange);
            if (rejection != null) {
                return rejection;
            }
        }
        return null;
    }

    public List<Step> steps() {
        return steps;
    }
}
