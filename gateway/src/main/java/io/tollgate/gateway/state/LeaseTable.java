package io.tollgate.gateway.state;

import io.netty.channel.EventLoop;
import io.tollgate.shared.events.PlanRecord;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/** The leases of one event loop, by client then user; {@code holder} names the loop in Redis. Loop-confined. */
final class LeaseTable {
    final EventLoop loop;
    final String holder;
    private final Map<String, Map<String, Lease>> byClient = new HashMap<>();

    LeaseTable(EventLoop loop, String holder) {
        this.loop = loop;
        this.holder = holder;
    }

    /** The lease of ({@code client}, {@code user}), made on its first call with {@code plan}'s windows. */
    Lease lease(String client, String user, PlanRecord plan, long now) {
        Map<String, Lease> users = byClient.computeIfAbsent(client, c -> new HashMap<>());
        Lease lease = users.get(user);
        if (lease == null) {
            lease = new Lease(client, user, plan, Limit.of(plan), now);
            users.put(user, lease);
        }
        return lease;
    }

    /**
     * Forgets leases whose windows have rolled over or that sat idle for {@code idleSeconds}; each forgotten lease
     * with quota to give back goes to {@code refund}, its unused lease moved to its refund.
     */
    void sweep(long now, long idleSeconds, Consumer<Lease> refund) {
        for (Iterator<Map<String, Lease>> clients = byClient.values().iterator(); clients.hasNext(); ) {
            Map<String, Lease> users = clients.next();
            for (Iterator<Lease> it = users.values().iterator(); it.hasNext(); ) {
                Lease lease = it.next();
                if (lease.inFlight || !lease.waiters.isEmpty()) {
                    continue;
                }
                if (lease.current(now) && now - lease.lastUsed < idleSeconds) {
                    continue;
                }
                it.remove();
                if (lease.left > 0 || lease.refund > 0) {
                    lease.giveBack();
                    refund.accept(lease);
                }
            }
            if (users.isEmpty()) {
                clients.remove();
            }
        }
    }
}
