package io.tollgate.ops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Users of a multi-node stack, as a load with a ledger: worker threads take bench users one after the other and
 * run each user's script (five logins, alternating over the token-api nodes, each followed by two API calls with
 * the new token and, from the fourth login on, one with the token of the family the device limit is about to
 * revoke). Everything a user would notice (a refused login, a call not answered 200 with a live token, no answer
 * at all from a node nobody killed) is collected in {@link #noticed()}. Every answer a gateway gave for a user's
 * token is counted in the user's ledger, which is what the usage counts in Redis must equal. A gateway that
 * answered 401 for a token must never answer 200 for it again ({@link #violations()}).
 *
 * <p>The load balancer in front of the gateways is modelled as the client: requests go to the user's gateway; one
 * that gets no answer from a gateway the test has {@link #killing killed} is sent again to another gateway, and
 * the killed one gets no more traffic (a load balancer's passive health check). A request a gateway answers 503
 * (it cannot serve it now, e.g. it lost Redis) is sent once more to another gateway, as a load balancer retries an
 * idempotent request; both answers are in the ledger (each is an {@code api.call} event).
 */
final class ClusterLoad {
    static final int LOGINS_PER_USER = 5;
    /** The demo plan's device limit: a user keeps her newest three families. */
    static final int MAX_DEVICES = DemoRegistry.BASIC.maxDevices();

    private static final HttpClient PLAIN_HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** One login: its family ({@code sid}) and access token. */
    record Login(String user, int index, String sid, String access) {
    }

    /** How gateways are chosen for a user's calls. */
    enum Routing {
        /** Each call to the next gateway in turn. */
        ROUND_ROBIN,
        /** Each user to one gateway (user number modulo the gateways): the user's session sticks to a node. */
        STICKY
    }

    /** What one user did and was answered. */
    static final class User {
        final int number;
        final String name;
        final List<Login> logins = new CopyOnWriteArrayList<>();
        /** Answers any gateway gave for this user's tokens (every status): each is one {@code api.call} event. */
        final AtomicInteger answered = new AtomicInteger();
        final Map<String, AtomicInteger> answeredBy = new ConcurrentHashMap<>();
        /** Requests sent to a gateway while it was being killed that got no answer (then sent to another). */
        final AtomicInteger unanswered = new AtomicInteger();
        /** Set when an operator revoked every token of the user (after her script ended). */
        volatile boolean operatorRevoked;
        /** Set when her script has ended (she makes no more requests of her own). */
        volatile boolean finished;

        User(int number) {
            this.number = number;
            this.name = String.format("user%04d", number);
        }

        String password() {
            return String.format("pw-%04d", number);
        }

        int answeredBy(String gateway) {
            AtomicInteger n = answeredBy.get(gateway);
            return n == null ? 0 : n.get();
        }

        /** The families the device limit revokes: all but the newest {@link #MAX_DEVICES}, in login order. */
        List<Login> overTheLimit() {
            return logins.subList(0, Math.max(0, logins.size() - MAX_DEVICES));
        }

        boolean revoked(Login login) {
            return operatorRevoked || overTheLimit().contains(login);
        }
    }

    private final List<String> tokenApis;
    private final List<String> gateways;
    private final Routing routing;
    private final int lastUser;
    private final AtomicInteger nextUser;
    private final List<User> users = new CopyOnWriteArrayList<>();
    private final Queue<String> noticed = new ConcurrentLinkedQueue<>();
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    /** sid@gateway of every token a gateway refused (401), to when and why (its first refusal). */
    private final Map<String, String> refusals = new ConcurrentHashMap<>();
    private final Set<String> killed = ConcurrentHashMap.newKeySet();
    private final Set<String> ejected = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failovers = new AtomicInteger();
    /** Requests answered 503 by one gateway and sent again to another. */
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger usersDone = new AtomicInteger();
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** A user's pause before each request of her script (a phone is not a benchmark client). */
    private final long thinkMillis;
    private final HttpClient http;
    private ExecutorService workers;
    private final List<Future<?>> running = new ArrayList<>();

    ClusterLoad(List<String> tokenApis, List<String> gateways, Routing routing, int firstUser, int lastUser,
                long thinkMillis) {
        this(PLAIN_HTTP, tokenApis, gateways, routing, firstUser, lastUser, thinkMillis);
    }

    /** With {@code http} as every user's client (e.g. one trusting the gateways' TLS certificates). */
    ClusterLoad(HttpClient http, List<String> tokenApis, List<String> gateways, Routing routing, int firstUser,
                int lastUser, long thinkMillis) {
        this.http = http;
        this.thinkMillis = thinkMillis;
        this.tokenApis = List.copyOf(tokenApis);
        this.gateways = List.copyOf(gateways);
        this.routing = routing;
        this.lastUser = lastUser;
        this.nextUser = new AtomicInteger(firstUser);
    }

    ClusterLoad start(int threads) {
        workers = Executors.newFixedThreadPool(threads);
        for (int i = 0; i < threads; i++) {
            running.add(workers.submit(this::work));
        }
        return this;
    }

    private void work() {
        while (!stopping.get()) {
            int number = nextUser.getAndIncrement();
            if (number > lastUser) {
                noticed.add("the load ran out of bench users (last " + lastUser + ")");
                return;
            }
            User user = new User(number);
            users.add(user);
            try {
                script(user);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                noticed.add(user.name + ": " + e);
            }
            user.finished = true;
            usersDone.incrementAndGet();
        }
    }

    /** Five logins; two calls with each new token; from the fourth on, one with the token the limit now revokes. */
    private void script(User user) throws Exception {
        for (int i = 0; i < LOGINS_PER_USER; i++) {
            Thread.sleep(thinkMillis);
            Login login = login(user, i);
            if (login == null) {
                return;
            }
            for (int c = 0; c < 2; c++) {
                Thread.sleep(thinkMillis);
                String gateway = pick(user, i * 3 + c);
                if (call(user, login, gateway) == 401) {
                    noticed.add(user.name + " login " + i + ": her newest token refused at " + gateway + " ("
                            + refusals.get(login.sid() + "@" + gateway) + ")");
                }
            }
            if (i >= MAX_DEVICES) {
                Thread.sleep(thinkMillis);
                call(user, user.logins.get(i - MAX_DEVICES), pick(user, i * 3 + 2)); // 200 until revoked, then 401
            }
        }
    }

    private Login login(User user, int index) throws Exception {
        String tokenApi = tokenApis.get(index % tokenApis.size());
        HttpResponse<String> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(URI.create(tokenApi + "/oauth2/token")).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=" + DemoRegistry.CLIENT_ID
                            + "&username=" + enc(user.name) + "&password=" + enc(user.password()))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            noticed.add(user.name + " login " + index + " at " + tokenApi + ": no answer (" + e + ")");
            return null;
        }
        if (answer.statusCode() != 200) {
            noticed.add(user.name + " login " + index + " at " + tokenApi + ": " + answer.statusCode() + " "
                    + answer.body());
            return null;
        }
        JsonNode body = Json.mapper().readTree(answer.body());
        String access = body.path("access_token").asText();
        String sid = SignedJWT.parse(access).getJWTClaimsSet().getStringClaim("sid");
        Login login = new Login(user.name, index, sid, access);
        user.logins.add(login);
        logins.incrementAndGet();
        return login;
    }

    private String pick(User user, int call) {
        int i = routing == Routing.STICKY ? user.number : call;
        return gateways.get(Math.floorMod(i, gateways.size()));
    }

    /**
     * One API call through {@code gateway} (or, once it is ejected, another one), recorded in the ledger. Returns the
     * status, or -1 when no gateway answered (already recorded as noticed).
     */
    int call(User user, Login login, String gateway) {
        String target = ejected.contains(gateway) ? alive(gateway) : gateway;
        boolean retried = false;
        while (true) {
            HttpResponse<String> answer;
            try {
                answer = http.send(HttpRequest.newBuilder(URI.create(target + "/" + DemoRegistry.API + "/cluster"))
                        .timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + login.access()).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (IOException e) {
                if (killed.contains(target)) {
                    ejected.add(target);
                    user.unanswered.incrementAndGet();
                    failovers.incrementAndGet();
                    target = alive(target);
                    continue;
                }
                noticed.add(user.name + " call at " + target + ": no answer (" + e + ")");
                return -1;
            }
            int status = answer.statusCode();
            user.answered.incrementAndGet();
            user.answeredBy.computeIfAbsent(target, g -> new AtomicInteger()).incrementAndGet();
            String key = login.sid() + "@" + target;
            if (status == 401) {
                refusals.putIfAbsent(key, Instant.now() + " "
                        + answer.headers().firstValue("WWW-Authenticate").orElse(answer.body()));
            } else if (status == 200 && refusals.containsKey(key)) {
                violations.add(user.name + " family " + login.sid() + ": 200 at " + target + " after a 401 there ("
                        + refusals.get(key) + ")");
            }
            if (status == 503 && !retried && gateways.size() > 1) {
                // A load balancer retries an idempotent request its node answered 503 on another node once
                // (Envoy's retry_on 5xx, nginx's proxy_next_upstream http_503): the node told it to come back later.
                retried = true;
                retries.incrementAndGet();
                target = other(target);
                continue;
            }
            if (status != 200 && status != 401) {
                noticed.add(user.name + " call at " + target + ": " + status + " " + answer.body());
            }
            return status;
        }
    }

    /** The next gateway after {@code gateway} that is not being killed (the gateway itself if it is the only one). */
    private String other(String gateway) {
        int at = gateways.indexOf(gateway);
        for (int i = 1; i < gateways.size(); i++) {
            String next = gateways.get(Math.floorMod(at + i, gateways.size()));
            if (!killed.contains(next)) {
                return next;
            }
        }
        return gateway;
    }

    private String alive(String not) {
        return gateways.stream().filter(g -> !g.equals(not) && !killed.contains(g)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no gateway left"));
    }

    /** Marks {@code gateway} as being killed (call just before the kill): calls it leaves unanswered fail over. */
    void killing(String gateway) {
        killed.add(gateway);
    }

    /**
     * Marks {@code gateway} as back (its host reachable again, its health checks passing): it gets its users'
     * traffic again, as a load balancer's active health check would restore it.
     */
    void restored(String gateway) {
        killed.remove(gateway);
        ejected.remove(gateway);
    }

    /** Waits until {@code more} further users have finished their scripts (or the load stopped on its own). */
    void awaitMoreUsers(int more, Duration timeout) throws Exception {
        int target = usersDone.get() + more;
        awaitCondition(() -> usersDone.get() >= target || running.stream().allMatch(Future::isDone), timeout,
                "the load to finish " + more + " more users");
    }

    /** Lets every worker finish its current user, then stops. */
    void stop() throws Exception {
        stopping.set(true);
        workers.shutdown();
        if (!workers.awaitTermination(3, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the load did not stop");
        }
        for (Future<?> f : running) {
            f.get();
        }
    }

    List<User> users() {
        return users;
    }

    List<String> noticed() {
        return List.copyOf(noticed);
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    int failovers() {
        return failovers.get();
    }

    int retries() {
        return retries.get();
    }

    int logins() {
        return logins.get();
    }

    static void awaitCondition(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
