package io.tollgate.tokenapi.core;

import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApiRecord;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.config.ApiEntitlement;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EntitlementsTest {
    private static final Entitlements.Usable MOBILE = new Entitlements.Usable(DemoRegistry.SUBSCRIPTION,
            DemoRegistry.PREMIUM);

    private static ApiEntitlement rule(String group, Map<String, Set<String>> scopes) {
        ApiEntitlement rule = new ApiEntitlement();
        rule.requiredGroup = group;
        rule.scopesByGroup = scopes;
        return rule;
    }

    @Test
    void aRequiredGroupDeniesNonMembers() {
        Entitlements e = new Entitlements(Map.of("mobile", rule("mobile-users", Map.of())));
        assertThat(e.evaluate(List.of(MOBILE), Set.of("staff"))).isNull();
        var alice = e.evaluate(List.of(MOBILE), Set.of("mobile-users"));
        assertThat(alice.audience()).containsExactly("mobile");
        assertThat(alice.scopes()).containsExactly("read", "write");
        assertThat(alice.primary().subscriptionId()).isEqualTo(DemoRegistry.SUBSCRIPTION_ID);
    }

    @Test
    void groupScopesNarrowThePlan() {
        Entitlements e = new Entitlements(Map.of("mobile", rule("mobile-users",
                Map.of("writers", Set.of("write", "admin")))));
        assertThat(e.evaluate(List.of(MOBILE), Set.of("mobile-users")).scopes()).isEmpty();
        assertThat(e.evaluate(List.of(MOBILE), Set.of("mobile-users", "writers")).scopes()).containsExactly("write");
    }

    @Test
    void scopesStayWithTheirApiAndAResourceNarrowsToIt() {
        PlanRecord orders = new PlanRecord("orders-plus", "orders", "Orders", Set.of("read", "write"), 0, 0, 0, 1,
                false, Set.of("password"));
        SubscriptionRecord sub = new SubscriptionRecord("sub-orders", DemoRegistry.APPLICATION_ID,
                DemoRegistry.CLIENT_ID, "orders", "orders-plus", SubscriptionRecord.Status.APPROVED, Instant.now());
        Entitlements.Usable basic = new Entitlements.Usable(DemoRegistry.SUBSCRIPTION, DemoRegistry.BASIC);
        Entitlements e = new Entitlements(Map.of("mobile", rule("mobile-users", Map.of())));
        var both = e.evaluate(List.of(new Entitlements.Usable(sub, orders), basic), Set.of("mobile-users"));
        assertThat(both.apis()).extracting(Entitlements.ApiGrant::api).containsExactly("mobile", "orders");
        assertThat(both.apis().get(0).scopes()).containsExactly("read");
        assertThat(both.apis().get(1).scopes()).containsExactly("read", "write");
        assertThat(both.scopes()).containsExactly("read", "write");

        var mobile = both.narrowTo(Set.of("mobile"));
        assertThat(mobile.audience()).containsExactly("mobile");
        assertThat(mobile.scopes()).containsExactly("read");
        assertThat(mobile.primary().subscriptionId()).isEqualTo(DemoRegistry.SUBSCRIPTION_ID);
        var ordersOnly = both.narrowTo(Set.of("orders"));
        assertThat(ordersOnly.scopes()).containsExactly("read", "write");
        assertThat(ordersOnly.primary().subscriptionId()).isEqualTo("sub-orders");

        // not a member of mobile-users: orders only, and naming mobile is invalid_target
        var notMember = e.evaluate(List.of(new Entitlements.Usable(sub, orders), basic), Set.of());
        assertThat(notMember.audience()).containsExactly("orders");
        assertThatThrownBy(() -> notMember.narrowTo(Set.of("mobile", "orders")))
                .isInstanceOf(OAuthException.class)
                .satisfies(x -> assertThat(((OAuthException) x).error()).isEqualTo(OAuthError.INVALID_TARGET));
        assertThat(notMember.only(Set.of("mobile"))).isNull();
        assertThat(notMember.only(Set.of("mobile", "orders")).audience()).containsExactly("orders");
    }

    @Test
    void audienceCoversEveryEntitledApi() {
        PlanRecord other = new PlanRecord("maps-basic", "maps", "Maps", Set.of("maps:read"), 0, 0, 0, 1, false,
                Set.of("password"));
        SubscriptionRecord maps = new SubscriptionRecord("sub-maps", DemoRegistry.APPLICATION_ID,
                DemoRegistry.CLIENT_ID, "maps", "maps-basic", SubscriptionRecord.Status.APPROVED, Instant.now());
        Entitlements e = new Entitlements(Map.of("mobile", rule("mobile-users", Map.of())));
        var both = e.evaluate(List.of(MOBILE, new Entitlements.Usable(maps, other)), Set.of("mobile-users"));
        assertThat(both.audience()).containsExactly("maps", "mobile");
        assertThat(both.scopes()).containsExactly("maps:read", "read", "write");
        var mapsOnly = e.evaluate(List.of(MOBILE, new Entitlements.Usable(maps, other)), Set.of());
        assertThat(mapsOnly.audience()).containsExactly("maps");
        // without groups to check (an IdP that cannot look users up), the plans decide
        assertThat(e.evaluate(List.of(MOBILE), null).audience()).containsExactly("mobile");
    }

    private static RegistryView registry(EventData... records) {
        RegistryView view = new RegistryView();
        for (EventData record : records) {
            view.apply(record.subject(), Event.of(Event.source("test", "entitlements"), record));
        }
        return view;
    }

    private static ApiRecord mobileApi(String group) {
        return new ApiRecord("mobile", "/mobile/", List.of("http://127.0.0.1:9000"), Map.of("*", "read"), group, false,
                false);
    }

    @Test
    void theRegistrysApiDecidesTheGroupOverTheConfiguration() {
        RegistryView view = registry(mobileApi("staff"));
        Entitlements e = new Entitlements(Map.of("mobile", rule("mobile-users", Map.of())), view);
        // the configuration's group no longer admits, the registry's does
        assertThat(e.evaluate(List.of(MOBILE), Set.of("mobile-users"))).isNull();
        assertThat(e.evaluate(List.of(MOBILE), Set.of("staff")).audience()).containsExactly("mobile");

        // the registry says no group: every user, whatever the configuration requires
        view.apply(ApiRecord.key("mobile"), Event.of(Event.source("test", "entitlements"), mobileApi(null)));
        assertThat(e.evaluate(List.of(MOBILE), Set.of()).audience()).containsExactly("mobile");

        // the API gone from the registry: the configuration's rule applies again
        view.apply(ApiRecord.key("mobile"), null);
        assertThat(e.evaluate(List.of(MOBILE), Set.of())).isNull();
        assertThat(e.evaluate(List.of(MOBILE), Set.of("mobile-users")).audience()).containsExactly("mobile");
    }

    @Test
    void theConfigurationsScopesByGroupStillNarrowAnApiOfTheRegistry() {
        Entitlements e = new Entitlements(Map.of("mobile", rule("mobile-users", Map.of("writers", Set.of("write")))),
                registry(mobileApi("staff")));
        assertThat(e.evaluate(List.of(MOBILE), Set.of("staff", "writers")).scopes()).containsExactly("write");
        assertThat(e.evaluate(List.of(MOBILE), Set.of("staff")).scopes()).isEmpty();
    }

    @Test
    void aPlansGroupIsRequiredBesideTheApis() {
        PlanRecord partners = new PlanRecord("partners", "mobile", "Partners", Set.of("read"), 60, 0, 0, 3, false,
                DemoRegistry.GRANT_TYPES, 0, 0, 0, 0, "partners");
        Entitlements.Usable onPartners = new Entitlements.Usable(DemoRegistry.SUBSCRIPTION, partners);
        Entitlements e = new Entitlements(Map.of(), registry(mobileApi("mobile-users")));
        assertThat(e.evaluate(List.of(onPartners), Set.of("mobile-users"))).isNull();
        assertThat(e.evaluate(List.of(onPartners), Set.of("partners"))).isNull();
        assertThat(e.evaluate(List.of(onPartners), Set.of("mobile-users", "partners")).audience())
                .containsExactly("mobile");
        // without the registry (configuration only), the plan's group is required just the same
        Entitlements configOnly = new Entitlements(Map.of());
        assertThat(configOnly.evaluate(List.of(onPartners), Set.of("mobile-users"))).isNull();
        assertThat(configOnly.evaluate(List.of(onPartners), Set.of("partners")).audience()).containsExactly("mobile");
        // no user groups to check (a client's own token, or an IdP that cannot look users up): the plans decide
        assertThat(e.evaluate(List.of(onPartners), null).audience()).containsExactly("mobile");
    }
}
