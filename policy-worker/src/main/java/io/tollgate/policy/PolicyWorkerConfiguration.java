package io.tollgate.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.Duration;
import io.tollgate.policy.account.AccountSourceFactory;
import io.tollgate.policy.account.NoAccountSourceFactory;
import io.tollgate.policy.ldap.LdapFactory;
import io.tollgate.policy.license.LicenseSourceFactory;
import io.tollgate.policy.license.ProfileLicenseSourceFactory;
import jakarta.validation.constraints.AssertTrue;
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

    /** Where accounts are read: {@code type: ldap | http | none}, token-api's keys for ldap and http. */
    @Valid
    @NotNull
    @JsonProperty
    public AccountSourceFactory identityProvider = new LdapFactory();

    /**
     * The former top-level {@code ldap:} block. Unknown keys are ignored by the configuration reader, so it is
     * refused here: silently dropped, the directory's settings would fall back to defaults.
     */
    @JsonProperty("ldap")
    public void setLdap(Object ignored) {
        throw new IllegalArgumentException("the top-level \"ldap\" key is now \"identityProvider\" with \"type: ldap\""
                + " (and license \"type: ldap\" is now \"type: profile\")");
    }

    /** Where licences are read: {@code type: profile | http | none}. */
    @Valid
    @NotNull
    @JsonProperty
    public LicenseSourceFactory license = new ProfileLicenseSourceFactory();

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
     * How long the facts of one polled batch may take to gather (identity provider, licence service, Redis); the
     * records not reached are decided after the next poll. Keep it well under the consumer's max.poll.interval.ms.
     */
    @NotNull
    @JsonProperty
    public Duration loadBudget = Duration.seconds(10);

    /**
     * Operator accounts (HTTP Basic, name and PBKDF2 passwordHash) allowed to run the admin port's tasks; with
     * none, every task is refused.
     */
    @Valid
    @NotNull
    @JsonProperty
    public List<Account> operators = new ArrayList<>();

    /** Accept an operator with the demo password ({@code DemoOperator}); the local stack's YAML only. */
    @JsonProperty
    public boolean allowDemoOperator = false;

    /** Without an identity provider there is no profile to hold a licence: every user would be denied. */
    @AssertTrue(message = "license.type profile needs an identityProvider (ldap or http); "
            + "use license.type http or none")
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isLicenseSourceUsable() {
        return !(identityProvider instanceof NoAccountSourceFactory && license instanceof ProfileLicenseSourceFactory);
    }
}
