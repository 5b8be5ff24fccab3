package io.tollgate.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.Duration;
import io.tollgate.policy.ldap.LdapFactory;
import io.tollgate.policy.license.LdapLicenseSourceFactory;
import io.tollgate.policy.license.LicenseSourceFactory;
import io.tollgate.shared.auth.Account;
import io.tollgate.shared.kafka.KafkaFactory;
import io.tollgate.shared.redis.RedisFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.List;

public class PolicyWorkerConfiguration extends Configuration {
    @Valid
    @NotNull
    @JsonProperty
    public KafkaFactory kafka = new KafkaFactory();

    @Valid
    @NotNull
    @JsonProperty
    public RedisFactory redis = new RedisFactory();

    @Valid
    @NotNull
    @JsonProperty
    public LdapFactory ldap = new LdapFactory();

    @Valid
    @NotNull
    @JsonProperty
    public LicenseSourceFactory license = new LdapLicenseSourceFactory();

    /** Instances in one group share the auth-events partitions. */
    @NotEmpty
    @JsonProperty
    public String groupId = "tollgate-policy-worker";

    /** This node's name: the event source and, with the prefix, its transactional.id (unique per instance). */
    @NotEmpty
    @JsonProperty
    public String node = "local";

    @NotEmpty
    @JsonProperty
    public String transactionalIdPrefix = "tollgate-policy-worker";

    /** How long a policy revocation matters: the refresh token lifetime. */
    @NotNull
    @JsonProperty
    public Duration revocationLifetime = Duration.days(30);

    @NotNull
    @JsonProperty
    public Duration registryStartupTimeout = Duration.seconds(60);

    /**
     * Operator accounts (HTTP Basic, name and PBKDF2 passwordHash) allowed to run the admin port's tasks; with
     * none, every task is refused.
     */
    @Valid
    @NotNull
    @JsonProperty
    public List<Account> operators = new ArrayList<>();
}
