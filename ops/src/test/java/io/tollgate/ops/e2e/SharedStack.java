package io.tollgate.ops.e2e;

import io.tollgate.cli.ServiceSpec;
import io.tollgate.ops.stack.Stack;
import io.tollgate.ops.stack.StackConfig;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One whole local stack (KRaft broker, Redis, LDAP, token-api, policy-worker, revocation-stream, gateway as child
 * JVMs from their built jars, the demo upstream) on free ports, booted by the first end-to-end class that needs it
 * and shared by every later one in the same test JVM; closed when the JUnit run ends. Booting it costs about half a
 * minute of CPU on the 2-core box, so the suites share it instead of booting one each.
 *
 * <p>A class annotated {@link HttpIdp} gets a stack whose identity provider is the demo HTTP identity provider
 * instead of LDAP, shared the same way by the classes so annotated. The two never run together: booting one closes
 * the other first (the box has 2 cores), so the classes of one kind run next to each other.
 *
 * <p>The classes run in a fixed order ({@code src/test/resources/junit-platform.properties}, class {@code @Order}s
 * after every unordered class): {@link MissionIT} first (it expects the demo data as seeded), then
 * {@link PortalJourneyIT}, then the operator CLI ({@code OperatorCliStackIT}, which revokes, and flushes Redis), then
 * {@link RefreshRetryStackIT} (a plan of its own with a refresh reuse interval), then {@link ClientCredentialsIT},
 * then the authorization code flow ({@link CodeFlowIT}), then {@link DpopStackIT} (which starts a second gateway
 * node), then {@link KeyRotationStackIT} (a second token-api node and a signing-key rotation); then, on the
 * HTTP identity provider's stack, {@link MissionHttpIdpIT} (the same mission) and
 * {@link IdpOutageIT}.
 */
public final class SharedStack implements BeforeAllCallback {
    public static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    /** Class orders of the suites sharing the stack: after every class without an {@code @Order}. */
    public static final int MISSION = org.junit.jupiter.api.Order.DEFAULT + 1;
    public static final int PORTAL = MISSION + 1;
    public static final int OPERATOR_CLI = PORTAL + 1;
    public static final int REFRESH_RETRY = OPERATOR_CLI + 1;
    public static final int CLIENT_CREDENTIALS = REFRESH_RETRY + 1;
    public static final int CODE_FLOW = CLIENT_CREDENTIALS + 1;
    public static final int DPOP = CODE_FLOW + 1;
    public static final int KEY_ROTATION = DPOP + 1;
    public static final int CONTROL_PLANE = KEY_ROTATION + 1;
    public static final int MISSION_HTTP_IDP = CONTROL_PLANE + 1;
    public static final int IDP_OUTAGE = MISSION_HTTP_IDP + 1;

    /** The test class runs on the stack whose identity provider is the demo HTTP identity provider. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
    @java.lang.annotation.Inherited
    public @interface HttpIdp {
    }

    private static volatile Booted booted;

    @Override
    public void beforeAll(ExtensionContext context) {
        StackConfig.Idp idp = context.getRequiredTestClass().isAnnotationPresent(HttpIdp.class) ? StackConfig.Idp.HTTP
                : StackConfig.Idp.LDAP;
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        for (StackConfig.Idp other : StackConfig.Idp.values()) {
            Booted running = other == idp ? null : store.remove(key(other), Booted.class);
            if (running != null) {
                running.close();
            }
        }
        booted = store.getOrComputeIfAbsent(key(idp), key -> boot(idp), Booted.class);
    }

    private static String key(StackConfig.Idp idp) {
        return SharedStack.class.getName() + "." + idp;
    }

    public static StackConfig config() {
        return current().config;
    }

    /** Everything the stack printed (its parts, endpoints, failures). */
    public static String output() {
        return current().output.toString(StandardCharsets.UTF_8);
    }

    /**
     * The running stack, e.g. for its demo HTTP identity provider ({@link Stack#httpIdentityProvider()}) or to start
     * more nodes on it ({@link Stack#startNode}).
     */
    public static Stack stack() {
        return current().stack;
    }

    private static Booted current() {
        assertThat(booted).as("@ExtendWith(SharedStack.class) boots the stack").isNotNull();
        return booted;
    }

    private static Booted boot(StackConfig.Idp idp) {
        for (ServiceSpec spec : ServiceSpec.ALL) {
            assertThat(spec.jar(ROOT)).as("the end-to-end suites run the built jars: mvn -B verify builds them first")
                    .isRegularFile();
        }
        try {
            StackConfig config = io.tollgate.ops.stack.FreePortStacks.config(ROOT, "e2e", "tollgate-e2e-");
            config.idp = idp;
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            Stack stack = new Stack(config, new PrintStream(output, true, StandardCharsets.UTF_8));
            long t0 = System.nanoTime();
            boolean healthy = stack.start();
            Booted result = new Booted(config, stack, output);
            if (!healthy) {
                result.close();
            }
            assertThat(healthy).as(output.toString(StandardCharsets.UTF_8)).isTrue();
            System.out.printf("shared stack (identity provider %s) healthy after %d ms%n", idp,
                    Duration.ofNanos(System.nanoTime() - t0).toMillis());
            return result;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("the stack did not start", e);
        }
    }

    /** Closed by JUnit when the root context closes, after the last class. */
    private record Booted(StackConfig config, Stack stack, ByteArrayOutputStream output)
            implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            stack.close();
        }
    }
}
