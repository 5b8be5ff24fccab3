package io.tollgate.shared.registry;

import io.tollgate.shared.events.ApiRecord;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.DeveloperRecord;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.events.UserBlockRecord;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory, read-mostly view of {@code tollgate.registry}: APIs, applications, plans, subscriptions and user blocks,
 * last write wins per key, tombstones delete. Fed by {@link RegistryConsumer}; safe for concurrent readers.
 */
public final class RegistryView {
    private final Map<String, ApplicationRecord> applications = new ConcurrentHashMap<>();
    private final Map<String, PlanRecord> plans = new ConcurrentHashMap<>();
    private final Map<String, SubscriptionRecord> subscriptions = new ConcurrentHashMap<>();
    /**
     * The same subscriptions by client, then API: the gateway looks one up on every call, and this finds it without
     * building the {@code <client>:<api>} key.
     */
    private final Map<String, Map<String, SubscriptionRecord>> subscriptionsByClient = new ConcurrentHashMap<>();
    private final Map<String, DeveloperRecord> developers = new ConcurrentHashMap<>();
    private final Map<String, ApiRecord> apis = new ConcurrentHashMap<>();
    private final Map<String, UserBlockRecord> blocks = new ConcurrentHashMap<>();
    /** Counts the changes to {@link #apis}: a reader that built something from them rebuilds when it moves. */
    private final AtomicLong apiChanges = new AtomicLong();
    private volatile boolean ready;
    /** Next offset to read, per partition of the registry topic: how far this view has applied the log. */
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private volatile String failure;

    /** Applies one record of the registry topic ({@code value == null} is a tombstone for {@code key}). */
    public void apply(String key, Event<?> value) {
        if (key == null) {
            return;
        }
        if (value == null) {
            if (key.startsWith("app:")) {
                applications.remove(key.substring(4));
            } else if (key.startsWith("plan:")) {
                plans.remove(key.substring(5));
            } else if (key.startsWith("sub:")) {
                SubscriptionRecord removed = subscriptions.remove(key.substring(4));
                if (removed != null) {
                    Map<String, SubscriptionRecord> byApi = subscriptionsByClient.get(removed.clientId());
                    if (byApi != null) {
                        byApi.remove(removed.api(), removed);
                    }
                }
            } else if (key.startsWith("dev:")) {
                developers.remove(key.substring(4));
            } else if (key.startsWith("api:")) {
                if (apis.remove(key.substring(4)) != null) {
                    apiChanges.incrementAndGet();
                }
            } else if (key.startsWith("block:")) {
                blocks.remove(key.substring(6));
            }
            return;
        }
        EventData data = value.data();
        if (data instanceof ApplicationRecord app) {
            applications.put(app.clientId(), app);
        } else if (data instanceof PlanRecord plan) {
            plans.put(plan.planId(), plan);
        } else if (data instanceof SubscriptionRecord sub) {
            subscriptions.put(sub.clientId() + ":" + sub.api(), sub);
            subscriptionsByClient.computeIfAbsent(sub.clientId(), c -> new ConcurrentHashMap<>()).put(sub.api(), sub);
        } else if (data instanceof DeveloperRecord developer) {
            developers.put(developer.email(), developer);
        } else if (data instanceof ApiRecord api) {
            if (!api.equals(apis.put(api.name(), api))) {
                apiChanges.incrementAndGet();
            }
        } else if (data instanceof UserBlockRecord block) {
            blocks.put(block.userId(), block);
        }
    }

    public Optional<ApplicationRecord> application(String clientId) {
        return Optional.ofNullable(clientId == null ? null : applications.get(clientId));
    }

    /** A developer-portal account by its e-mail address (the registry key is {@code dev:<email>}). */
    public Optional<DeveloperRecord> developer(String email) {
        return Optional.ofNullable(email == null ? null : developers.get(email));
    }

    public Optional<PlanRecord> plan(String planId) {
        return Optional.ofNullable(planId == null ? null : plans.get(planId));
    }

    public Optional<SubscriptionRecord> subscription(String clientId, String api) {
        if (clientId == null || api == null) {
            return Optional.empty();
        }
        Map<String, SubscriptionRecord> byApi = subscriptionsByClient.get(clientId);
        return Optional.ofNullable(byApi == null ? null : byApi.get(api));
    }

    /** Every subscription of a client, any status. */
    public List<SubscriptionRecord> subscriptions(String clientId) {
        return subscriptions.values().stream().filter(s -> s.clientId().equals(clientId)).toList();
    }

    public Collection<ApplicationRecord> applications() {
        return List.copyOf(applications.values());
    }

    public Collection<PlanRecord> plans() {
        return List.copyOf(plans.values());
    }

    public Optional<ApiRecord> api(String name) {
        return Optional.ofNullable(name == null ? null : apis.get(name));
    }

    public Collection<ApiRecord> apis() {
        return List.copyOf(apis.values());
    }

    /** A number that changes whenever an API is added, changed or removed. */
    public long apiChanges() {
        return apiChanges.get();
    }

    /** The block on {@code userId}, if an operator has blocked the user. */
    public Optional<UserBlockRecord> block(String userId) {
        return Optional.ofNullable(userId == null ? null : blocks.get(userId));
    }

    public Collection<UserBlockRecord> blocks() {
        return List.copyOf(blocks.values());
    }

    public Collection<SubscriptionRecord> allSubscriptions() {
        return List.copyOf(subscriptions.values());
    }

    /**
     * True once the view has caught up with the topic as it was when the service started, and for as long as it
     * keeps following it: a view whose consumer has stopped would keep serving deleted applications and revoked
     * subscriptions, so it is not ready (callers refuse, the health check fails, the node gets replaced).
     */
    public boolean isReady() {
        return ready && failure == null;
    }

    /** Why the view stopped following the topic, or null while it follows it. */
    public String failure() {
        return failure;
    }

    void fail(String reason) {
        failure = reason;
    }

    void markReady() {
        ready = true;
    }

    /** Records that every record of {@code partition} before {@code nextOffset} has been applied. */
    void advance(int partition, long nextOffset) {
        positions.merge(partition, nextOffset, Math::max);
    }

    /**
     * True once the record at {@code offset} of {@code partition} has been applied: a writer's read-your-writes
     * wait that holds even when a later write to the same key has already superseded it.
     */
    public boolean hasApplied(int partition, long offset) {
        return positions.getOrDefault(partition, 0L) > offset;
    }
}
