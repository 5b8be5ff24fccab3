package io.tollgate.policy;

import io.dropwizard.util.Duration;
import io.tollgate.policy.account.AccountSourceFactory;
import io.tollgate.policy.account.NoAccountSourceFactory;
import io.tollgate.policy.ldap.LdapFactory;
import io.tollgate.policy.license.LicenseSourceFactory;
import io.tollgate.policy.license.ProfileLicenseSourceFactory;
import io.tollgate.shared.config.ServiceConfiguration;
import io.tollgate.shared.config.TokenLifetimes;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.Map;

/**
 * policy-worker's configuration: node, kafka, redis and operators as every service has them
 * ({@link ServiceConfiguration}); the node, with {@code transactionalIdPrefix}, makes its transactional.id.
 */
public class PolicyWorkerConfiguration extends ServiceConfiguration {
    /** Where accounts are read: {@code type: ldap | http | none}, token-api's keys for ldap and http. */
    @Valid
    @NotNull
    public AccountSourceFactory identityProvider = new LdapFactory();

    /** Where licences are read: {@code type: profile | http | none}. */
    @Valid
    @NotNull
    public LicenseSourceFactory license = new ProfileLicenseSourceFactory();

    /** Instances in one group share the auth-events partitions. */
    @NotEmpty
    public String groupId = "tollgate-policy-worker";

    @NotEmpty
    public String transactionalIdPrefix = "tollgate-policy-worker";

    /** How long a policy revocation matters: the longest token lifetime, token-api's keys and values. */
    @Valid
    @NotNull
    public TokenLifetimes tokens = new TokenLifetimes();

    @NotNull
    public Duration registryStartupTimeout = Duration.seconds(60);

    /**
     * How long the facts of one polled batch may take to gather (identity provider, licence service, Redis); the
     * records not reached are decided after the next poll. Keep it well under the consumer's max.poll.interval.ms.
     */
    @NotNull
    public Duration loadBudget = Duration.seconds(10);

    @Override
    protected Map<String, String> movedKeys() {
        return Map.of("ldap", "\"identityProvider\" with \"type: ldap\" (and license \"type: ldap\" is now "
                        + "\"type: profile\")",
                "revocationLifetime", "\"tokens\" with \"refreshTokenLifetime\" (token-api's key and value)");
    }

    /** Without an identity provider there is no profile to hold a licence: every user would be denied. */
    @AssertTrue(message = "license.type profile needs an identityProvider (ldap or http); "
            + "use license.type http or none")
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isLicenseSourceUsable() {
        return !(identityProvider instanceof NoAccountSourceFactory && license instanceof ProfileLicenseSourceFactory);
    }
}
