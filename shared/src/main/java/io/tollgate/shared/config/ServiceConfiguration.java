package io.tollgate.shared.config;

import io.dropwizard.core.Configuration;
import io.tollgate.shared.auth.Account;
import io.tollgate.shared.kafka.KafkaFactory;
import io.tollgate.shared.redis.RedisFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every Tollgate service's configuration holds: its node name, Kafka, Redis and the operators of its admin
 * tasks. Each service's configuration extends it; all of them, and every nested settings object, are Jackson beans
 * with public fields (validated, defaults as initialisers), the YAML keys being the field names. It is read by
 * {@link ServiceConfigurationFactoryFactory}, which refuses every key no field takes.
 */
public class ServiceConfiguration extends Configuration {

    /**
     * This instance's name, unique per instance: the source of the events it publishes (policy-worker's
     * transactional.id is made from it too).
     */
    @NotEmpty
    public String node = "local";

    @Valid
    @NotNull
    public KafkaFactory kafka = new KafkaFactory();

    @Valid
    @NotNull
    public RedisFactory redis = new RedisFactory();

    /**
     * Operator accounts (HTTP Basic, name and PBKDF2 passwordHash) allowed to run the admin port's tasks and any
     * operator API the service has; with none, every one of them is refused.
     */
    @Valid
    @NotNull
    public List<Account> operators = new ArrayList<>();

    /** Accept an operator with the demo password ({@code DemoOperator}); the local stack's YAML only. */
    public boolean allowDemoOperator = false;

    /**
     * Keys this service no longer reads, each to where its setting is now: {@link ServiceConfigurationFactoryFactory}
     * refuses them with that pointer, so that an old file fails at start instead of its setting falling back to
     * the default.
     */
    protected Map<String, String> movedKeys() {
        return Map.of();
    }
}
