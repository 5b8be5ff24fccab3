package io.tollgate.policy.core;

/** A pure check of one concern. Anything it cannot establish is a denial (deny by default). */
public interface Policy {
    String name();

    PolicyResult evaluate(PolicyContext context);
}
