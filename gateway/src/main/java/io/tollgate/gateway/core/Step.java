package io.tollgate.gateway.core;

/**
 * One concern of the request pipeline, called on the connection's event loop: it must not block. A step that needs
 * Redis or a worker returns a {@link Stage.Pending}.
 */
public interface Step {
    Stage apply(Exchange exchange);
}
