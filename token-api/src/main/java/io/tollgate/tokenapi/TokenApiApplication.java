package io.tollgate.tokenapi;

import io.dropwizard.auth.PolymorphicAuthDynamicFeature;
import io.dropwizard.auth.PolymorphicAuthValueFactoryProvider;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Environment;
import io.tollgate.shared.startup.ServiceApplication;
import io.tollgate.shared.admin.AdminTasks;
import io.tollgate.shared.auth.BasicAuthenticator;
import io.tollgate.shared.auth.SecretVerifier;
import io.tollgate.shared.dpop.DpopProofVerifier;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.health.ReadinessServlet;
import io.tollgate.shared.registry.RegistryConsumer;
import io.tollgate.shared.registry.RegistryHealthCheck;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.shared.declarative.ConfigValidator;
import io.tollgate.shared.topics.Topics;
import io.tollgate.tokenapi.auth.Operator;
import io.tollgate.tokenapi.auth.OperatorAuthenticator;
import io.tollgate.tokenapi.auth.OperatorChallenge;
import io.tollgate.tokenapi.auth.RequestAuthFilter;
import io.tollgate.tokenapi.core.AccessTokens;
import io.tollgate.tokenapi.core.AuthorizationCodeGrant;
import io.tollgate.tokenapi.core.ClientCredentialsGrant;
import io.tollgate.tokenapi.core.FamilyIssuer;
import io.tollgate.tokenapi.core.GrantFailures;
import io.tollgate.tokenapi.core.PasswordGrant;
import io.tollgate.tokenapi.core.PasswordLogin;
import io.tollgate.tokenapi.core.RefreshTokenGrant;
import io.tollgate.tokenapi.core.ClientAuthenticator;
import io.tollgate.tokenapi.core.ClientGrants;
import io.tollgate.tokenapi.core.Entitlements;
import io.tollgate.tokenapi.core.RegistryConfig;
import io.tollgate.tokenapi.core.RevocationService;
import io.tollgate.tokenapi.core.DpopBinding;
import io.tollgate.tokenapi.core.TokenService;
import io.tollgate.tokenapi.core.UserBlocks;
import io.tollgate.tokenapi.health.IdentityProviderHealthCheck;
import io.tollgate.tokenapi.idp.IdentityProvider;
import io.tollgate.tokenapi.kafka.AccountAudit;
import io.tollgate.tokenapi.kafka.AuthEventPublisher;
import io.tollgate.tokenapi.kafka.OperatorAudit;
import io.tollgate.tokenapi.kafka.KafkaStartup;
import io.tollgate.tokenapi.keys.SigningKeySource;
import io.tollgate.tokenapi.config.PortalSettings;
import io.tollgate.tokenapi.portal.DeveloperAccounts;
import io.tollgate.tokenapi.portal.HashingBudget;
import io.tollgate.tokenapi.portal.FixedWindowLimiter;
import io.tollgate.tokenapi.portal.LoginThrottle;
import io.tollgate.tokenapi.portal.SignupMails;
import io.tollgate.tokenapi.portal.SignupVerifications;
import io.tollgate.tokenapi.portal.PortalAssets;
import io.tollgate.tokenapi.portal.PortalExceptionMapper;
import io.tollgate.tokenapi.portal.PortalAccountResource;
import io.tollgate.tokenapi.portal.PortalAdminResource;
import io.tollgate.tokenapi.portal.PortalAppResource;
import io.tollgate.tokenapi.portal.PortalOperator;
import io.tollgate.tokenapi.portal.PortalOperatorAuthenticator;
import io.tollgate.tokenapi.portal.PortalSessionAuthenticator;
import io.tollgate.tokenapi.portal.PortalViolationExceptionMapper;
import io.tollgate.tokenapi.portal.JsonBodyExceptionMapper;
import io.tollgate.tokenapi.portal.JsonBodyFilter;
import io.tollgate.tokenapi.portal.SubscriptionWrites;
import io.tollgate.tokenapi.portal.PortalSessions;
import io.tollgate.tokenapi.portal.RegistryWriter;
import io.tollgate.tokenapi.portal.UsageReader;
import io.tollgate.tokenapi.redis.AuthorizationCodes;
import io.tollgate.tokenapi.redis.BruteForceGuard;
import io.tollgate.tokenapi.redis.DpopReplay;
import io.tollgate.tokenapi.redis.PendingAuthorizations;
import io.tollgate.tokenapi.redis.RefreshFamilies;
import io.tollgate.tokenapi.redis.RevocationStore;
import io.tollgate.tokenapi.resources.AdminResource;
import io.tollgate.tokenapi.resources.ConfigResource;
import io.tollgate.tokenapi.resources.AuthorizeResource;
import io.tollgate.tokenapi.resources.ClientAddressFilter;
import io.tollgate.tokenapi.resources.FallbackExceptionMapper;
import io.tollgate.tokenapi.resources.IntrospectionResource;
import io.tollgate.tokenapi.resources.JsonErrorHandler;
import io.tollgate.tokenapi.resources.JsonOnlyFilter;
import io.tollgate.tokenapi.resources.JwksResource;
import io.tollgate.tokenapi.resources.MetadataResource;
import io.tollgate.tokenapi.resources.OAuthExceptionMapper;
import io.tollgate.tokenapi.resources.RequestBodyDrain;
import io.tollgate.tokenapi.resources.RevocationResource;
import io.tollgate.tokenapi.resources.TokenEndpointFilter;
import io.tollgate.tokenapi.resources.TokenResource;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

/** token-api: the OAuth 2.0 authorization server of Tollgate. {@link #run} only wires. */
public class TokenApiApplication extends ServiceApplication<TokenApiConfiguration> {

    public static void main(String[] args) throws Exception {
        new TokenApiApplication().run(args);
    }

    @Override
    public String getName() {
        return "token-api";
    }

    @Override
    protected void start(TokenApiConfiguration config, Environment environment) {
        // Our mappers answer every error as OAuth JSON; Dropwizard's defaults would answer some as HTML or 500s.
        if (config.getServerFactory() instanceof AbstractServerFactory server) {
            server.setRegisterDefaultExceptionMappers(false);
        }
        // Errors raised by Jetty itself (unparsable Content-Type, bad URI, oversized headers) as JSON too.
        environment.getApplicationContext().setErrorHandler(new JsonErrorHandler.ForServletContext());
        environment.lifecycle().addServerLifecycleListener(server -> server.setErrorHandler(new JsonErrorHandler()));
        // Every request's unread body is drained after its answer, so a refusal keeps the connection usable.
        environment.servlets().addFilter("request-body-drain",
                        new RequestBodyDrain(config.tokens.maxBodySize.toBytes()))
                .addMappingForUrlPatterns(java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST), true, "/*");
        // The client's address behind trusted proxies, for every resource (lockout, portal bounds, audit ip).
        environment.servlets().addFilter("client-address", new ClientAddressFilter(config.clientAddress.build()))
                .addMappingForUrlPatterns(java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST), true, "/*");
        String clientId = "token-api-" + config.node;

        var admin = config.kafka.buildManagedAdmin(environment, clientId);
        Producer<String, Event<?>> producer = buildProducer(config, clientId);
        environment.lifecycle().manage(new KafkaStartup(config.kafka, admin, producer));

        RegistryView registry = new RegistryView();
        environment.lifecycle().manage(new RegistryConsumer(config.kafka, registry, clientId + "-registry",
                config.kafka.startupTimeout));
        environment.healthChecks().register("registry", new RegistryHealthCheck(registry));

        Pool<Jedis> redis = config.redis.build(environment);
        IdentityProvider idp = config.identityProvider.build(environment);
        environment.healthChecks().register("identity-provider", new IdentityProviderHealthCheck(idp));
        // Ready without Kafka (logins and refreshes are buffered through a broker outage) and without the identity
        // provider (shared by every node: an outage would take them all out at once, while refresh, revocation,
        // introspection and JWKS keep working); both stay in /healthcheck.
        ReadinessServlet.register(environment, java.util.Set.of("kafka", "identity-provider"));

        // Every node reads the same key set file and follows its changes (README "Rotating signing keys").
        SigningKeySource keys = config.keys.build(environment);
        AccessTokens accessTokens = new AccessTokens(keys, config.issuer,
                config.tokens.accessTokenLifetime.toJavaDuration());
        AuthEventPublisher events = new AuthEventPublisher(producer, Event.source("token-api", config.node),
                environment.metrics());
        SecretVerifier secrets = new SecretVerifier();
        RefreshFamilies families = new RefreshFamilies(redis);
        RevocationStore revocationStore = new RevocationStore(redis);
        BruteForceGuard guard = new BruteForceGuard(redis, config.lockout);
        // The one authenticator and guard of every endpoint that checks a secret (token, revoke, introspect, /admin,
        // the portal's admin API, the admin port's tasks).
        ClientAuthenticator clients = new ClientAuthenticator(registry, secrets, guard);
        ClientGrants clientGrants = new ClientGrants(registry);
        AuthorizationCodes codes = new AuthorizationCodes(redis);
        RevocationService revocations = new RevocationService(accessTokens, families, revocationStore, events,
                config.tokens, idp);
        // Operator blocks are registry records, read-your-writes like the portal's changes.
        UserBlocks blocks = new UserBlocks(registry, new RegistryWriter(producer, registry,
                Event.source("token-api", config.node), Duration.ofSeconds(10)), revocations, idp,
                Clock.systemUTC());
        Entitlements entitlements = new Entitlements(config.entitlements, registry);
        DpopBinding dpop = new DpopBinding(new DpopProofVerifier(), new DpopReplay(redis), config.issuer);
        GrantFailures failures = new GrantFailures(revocationStore, blocks, events, config.tokens,
                environment.metrics());
        PasswordLogin logins = new PasswordLogin(entitlements, idp, guard, failures, events, environment.metrics());
        FamilyIssuer issuer = new FamilyIssuer(families, accessTokens, events, config.tokens);
        TokenService tokenService = new TokenService(clients, Map.of(
                PasswordGrant.GRANT_TYPE, new PasswordGrant(clientGrants, logins, issuer, dpop),
                RefreshTokenGrant.GRANT_TYPE, new RefreshTokenGrant(clientGrants, entitlements, idp, guard, families,
                        accessTokens, events, failures, config.tokens, environment.metrics(), dpop),
                AuthorizationCodeGrant.GRANT_TYPE, new AuthorizationCodeGrant(codes, clientGrants, entitlements,
                        failures, revocations, issuer, dpop),
                ClientCredentialsGrant.GRANT_TYPE, new ClientCredentialsGrant(clientGrants, entitlements,
                        accessTokens, events, config.tokens, dpop)),
                environment.metrics());
        long maxBody = config.tokens.maxBodySize.toBytes();

        environment.jersey().register(new OAuthExceptionMapper());
        FallbackExceptionMapper fallback = new FallbackExceptionMapper(config.tokens.retryAfter.toJavaDuration());
        environment.jersey().register(fallback);
        environment.jersey().register(new TokenResource(tokenService, maxBody));
        // The common token request is answered before Jersey, the same way (TokenEndpointFilter); the rest by it.
        environment.servlets().addFilter("token-endpoint", new TokenEndpointFilter(tokenService, maxBody, fallback,
                        environment.getObjectMapper()))
                .addMappingForUrlPatterns(java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST), true,
                        "/oauth2/token");
        environment.jersey().register(new AuthorizeResource(registry, clientGrants, logins,
                new PendingAuthorizations(redis), codes, config.issuer, maxBody));
        environment.jersey().register(new RevocationResource(clients, revocations, maxBody));
        environment.jersey().register(new IntrospectionResource(clients.accounts(config.resourceServers,
                new AccountAudit(events, "resource_server", environment.metrics())), revocations, maxBody));
        environment.jersey().register(new MetadataResource(config.issuer, registry, keys));
        environment.jersey().register(new JwksResource(keys));
        // One operator account set for /admin, the portal's /portal/api/admin and the admin port's tasks: a wrong
        // password on any counts against the client address in the accounts' guard (apart from the logins'), a
        // locked address is hashed on none, and each wrong password is a login.failed on the audit stream.
        BasicAuthenticator operators = clients.accounts(config.operators,
                new AccountAudit(events, "operator", environment.metrics()));
        // Every operator action that takes effect is an operator.action event on the audit stream.
        OperatorAudit operatorAudit = new OperatorAudit(events, environment.metrics());
        OperatorAuthenticator operatorLogins = new OperatorAuthenticator(operators);
        environment.jersey().register(new JsonOnlyFilter());
        environment.jersey().register(new AdminResource(revocations, blocks, operatorAudit,
                environment.getObjectMapper()));
        AdminTasks.requireOperators(environment, operators, operatorAudit);

        // Developer portal (README "Developer portal"): state only in tollgate.registry, sessions in Redis.
        environment.jersey().register(new PortalExceptionMapper());
        environment.jersey().register(new PortalViolationExceptionMapper());
        environment.jersey().register(new JsonBodyExceptionMapper(fallback));
        environment.jersey().register(new JsonBodyFilter(environment.getObjectMapper()));
        environment.jersey().register(new PortalAssets());
        PortalSettings portal = config.portal;
        RegistryWriter registryWriter = new RegistryWriter(producer, registry, Event.source("portal", config.node),
                Duration.ofSeconds(10));
        DeveloperAccounts accounts = new DeveloperAccounts(registry, registryWriter,
                new SignupVerifications(redis, portal.verificationLifetime.toJavaDuration(), Clock.systemUTC()),
                new HashingBudget(redis, portal),
                new FixedWindowLimiter(redis, portal.signupsPerAddress, portal.signupWindow.toJavaDuration()),
                new SignupMails(portal.mail.build(), portal.publicUrl(config.issuer)), operators, Clock.systemUTC());
        // The declarative control plane: tollgate.yaml's APIs and plans, written through the same registry writer.
        environment.jersey().register(new ConfigResource(
                new RegistryConfig(registry, registryWriter, operatorAudit), new ConfigValidator()));
        PortalSessions portalSessions = new PortalSessions(redis, portal.sessionLifetime.toJavaDuration());
        SubscriptionWrites subscriptions = new SubscriptionWrites(registry, registryWriter, operatorAudit,
                Clock.systemUTC());
        environment.jersey().register(new PortalAccountResource(portalSessions,
                new LoginThrottle(redis, portal.loginPolicyPerEmail(), portal.loginPolicyPerClientAddress()),
                accounts, operatorAudit));
        environment.jersey().register(new PortalAppResource(registry, registryWriter, subscriptions,
                new UsageReader(redis, Clock.systemUTC()), Clock.systemUTC()));
        environment.jersey().register(new PortalAdminResource(registry, subscriptions));

        // Who may call: @Auth Operator (HTTP Basic, /admin), @Auth PortalSessions.Session (a portal session and, for
        // a change, its CSRF token), @Auth PortalOperator (the portal's admin API: either).
        environment.jersey().register(new PolymorphicAuthDynamicFeature<>(Map.of(
                Operator.class, RequestAuthFilter.of(operatorLogins, new OperatorChallenge(), "Basic",
                        "tollgate-admin"),
                PortalSessions.Session.class, RequestAuthFilter.of(new PortalSessionAuthenticator(portalSessions),
                        PortalSessionAuthenticator.LOG_IN_FIRST, "Session", "tollgate-portal"),
                PortalOperator.class, RequestAuthFilter.of(new PortalOperatorAuthenticator(operatorLogins,
                        portalSessions), PortalSessionAuthenticator.LOG_IN_FIRST, "Basic", "tollgate-admin"))));
        environment.jersey().register(new PolymorphicAuthValueFactoryProvider.Binder<>(Set.of(Operator.class,
                PortalSessions.Session.class, PortalOperator.class)));
    }

    private static Producer<String, Event<?>> buildProducer(TokenApiConfiguration config, String clientId) {
        Properties props = config.kafka.producerProperties(clientId);
        // A full buffer blocks a login at most this long before it is refused with 503 (see README).
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        // A grant's events wait up to 20 ms for others: at hundreds of grants per second a produce request carries
        // several, and each wakes policy-worker's and revocation-stream's fetches once, not once per grant. Nothing
        // waits on them in that time (revocations are also written to Redis at once; decisions are due in seconds).
        if (!config.kafka.producer.containsKey(ProducerConfig.LINGER_MS_CONFIG)) {
            props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        }
        // Keep the known partitions while every broker is away (the default "rebootstrap" forgets them, and
        // each send would then wait for metadata and fail): records are buffered and retried instead.
        props.putIfAbsent(CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
        return new KafkaProducer<>(props, Topics.AUTH_EVENTS.keySerde().serializer(),
                Topics.AUTH_EVENTS.valueSerde().serializer());
    }
}
