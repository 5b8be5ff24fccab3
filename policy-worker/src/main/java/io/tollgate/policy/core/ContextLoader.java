package io.tollgate.policy.core;

import io.tollgate.policy.account.AccountSource;
import io.tollgate.policy.license.LicenseSource;
import io.tollgate.policy.redis.FamilyReader;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.events.TokenRefreshed;
import io.tollgate.shared.registry.RegistryView;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The I/O side of a check: gathers account, license, plan and live families for an event. Any lookup that
 * fails throws ({@link SourceUnavailableException} when the account or licence source cannot answer), so the
 * record is retried (never decided on partial facts). The user is the canonical id of the event, as token-api
 * stored it: the account source is asked for exactly that id.
 */
public final class ContextLoader {
    private final AccountSource accounts;
    private final LicenseSource licenses;
    private final FamilyReader families;
    private final RegistryView registry;
    private final Clock clock;

    public ContextLoader(AccountSource accounts, LicenseSource licenses, FamilyReader families,
                         RegistryView registry, Clock clock) {
        this.accounts = accounts;
        this.licenses = licenses;
        this.families = families;
        this.registry = registry;
        this.clock = clock;
    }

    public PolicyContext forLogin(LoginSucceeded login) {
        return load(login.userId(), login.clientId(), login.familyId(), login.planId());
    }

    public PolicyContext forRefresh(TokenRefreshed refresh) {
        return load(refresh.userId(), refresh.clientId(), refresh.familyId(), null);
    }

    private PolicyContext load(String user, String client, String family, String planId) {
        Instant now = clock.instant();
        Optional<SubscriptionRecord> subscription = registry.subscriptions(client).stream().findFirst();
        String api = subscription.map(SubscriptionRecord::api).orElse(null);
        String plan = planId != null ? planId : subscription.map(SubscriptionRecord::planId).orElse(null);
        PlanRecord planRecord = registry.plan(plan).orElse(null);
        Account account = accounts.find(user)
                .map(entry -> new Account(user, true, entry.disabled(),
                        licenses.licenseExpiry(entry, api).orElse(null)))
                .orElse(Account.missing(user));
        List<LiveFamily> live = families.live(user, client, now);
        return new PolicyContext(user, client, family, now, account, planRecord, live);
    }
}
