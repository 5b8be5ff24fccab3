package io.tollgate.shared.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.shared.auth.Account;
import io.tollgate.shared.auth.BasicAccounts;
import io.tollgate.shared.auth.LockoutPolicy;
import io.tollgate.shared.auth.SecretVerifier;
import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.shared.json.Json;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorTaskFilterTest {
    private static final String CHALLENGE = "Basic realm=\"tollgate-admin\", charset=\"UTF-8\"";
    private static final List<Account> OPS = List.of(new Account("ops", PasswordHashes.hash("ops-secret", 1_000)));

    private final MutableClock clock = new MutableClock();

    private OperatorTaskFilter filter(List<Account> accounts, int lockAfter) {
        return new OperatorTaskFilter(new BasicAccounts(accounts, new SecretVerifier(), new AddressLockout(
                new LockoutPolicy(lockAfter, Duration.ofSeconds(60), Duration.ofMinutes(15)), Duration.ofHours(12),
                100, clock)));
    }

    @Test
    void withoutOperatorAccountsEveryTaskIsRefusedWhateverTheCredentials() throws Exception {
        OperatorTaskFilter filter = filter(List.of(), 3);
        for (String authorization : new String[] {null, basic("ops", "ops-secret")}) {
            Answer answer = call(filter, authorization, "10.0.0.1");
            assertThat(answer.passed).isFalse();
            assertThat(answer.status).isEqualTo(403);
            assertThat(answer.json().get("error").asText()).isEqualTo("forbidden");
            assertThat(answer.json().get("error_description").asText())
                    .contains("no operator accounts are configured", "operators:");
        }
    }

    @Test
    void onlyAConfiguredOperatorsRightPasswordPassesAndEveryRefusalIsAJson401Challenge() throws Exception {
        OperatorTaskFilter filter = filter(OPS, 10);
        Answer ok = call(filter, basic("ops", "ops-secret"), "10.0.0.1");
        assertThat(ok.passed).isTrue();
        assertThat(ok.status).isZero();

        Map<String, String> refusals = Map.of(
                "none", "operator authentication required (HTTP Basic)",
                "Bearer abc", "operator authentication required (HTTP Basic)",
                "Basic !!!", "operator authentication required (HTTP Basic)",
                basic("ops", "wrong"), "wrong operator name or password",
                basic("nobody", "ops-secret"), "wrong operator name or password");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            String authorization = refusal.getKey().equals("none") ? null : refusal.getKey();
            Answer answer = call(filter, authorization, "10.0.0.1");
            assertThat(answer.passed).as(refusal.getKey()).isFalse();
            assertThat(answer.status).as(refusal.getKey()).isEqualTo(401);
            assertThat(answer.headers).containsEntry("WWW-Authenticate", CHALLENGE);
            assertThat(answer.contentType).isEqualTo("application/json;charset=UTF-8");
            assertThat(answer.json().get("error").asText()).isEqualTo("unauthorized");
            assertThat(answer.json().get("error_description").asText()).isEqualTo(refusal.getValue());
            assertThat(answer.body).doesNotContain("ops-secret");
        }
    }

    @Test
    void wrongPasswordsLockTheirAddressWithoutHashingUntilTheLockExpires() throws Exception {
        OperatorTaskFilter filter = filter(OPS, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(call(filter, basic(i == 1 ? "nobody" : "ops", "guess-" + i), "10.0.0.1").status).isEqualTo(401);
        }
        // locked: even the right password is refused before any hash (it would have passed otherwise)
        Answer locked = call(filter, basic("ops", "ops-secret"), "10.0.0.1");
        assertThat(locked.passed).isFalse();
        assertThat(locked.status).isEqualTo(429);
        assertThat(locked.headers).containsEntry("Retry-After", "60").doesNotContainKey("WWW-Authenticate");
        assertThat(locked.json().get("error").asText()).isEqualTo("too_many_attempts");
        assertThat(locked.json().get("error_description").asText()).contains("retry in 60 s");

        clock.advance(Duration.ofSeconds(59));
        assertThat(call(filter, basic("ops", "guess-4"), "10.0.0.1").headers).containsEntry("Retry-After", "1");
        assertThat(call(filter, basic("ops", "ops-secret"), "10.0.0.2").passed).as("another address").isTrue();
        clock.advance(Duration.ofSeconds(1));
        // the lock is over, and the wrong passwords sent during it were not counted: the next one doubles the wait
        assertThat(call(filter, basic("ops", "guess-5"), "10.0.0.1").status).isEqualTo(401);
        assertThat(call(filter, basic("ops", "guess-6"), "10.0.0.1").headers).containsEntry("Retry-After", "120");
    }

    @Test
    void aPasswordVerifiedBeforeTheLockStillWorksFromTheLockedAddress() throws Exception {
        OperatorTaskFilter filter = filter(OPS, 2);
        assertThat(call(filter, basic("ops", "ops-secret"), "10.0.0.1").passed).isTrue();
        call(filter, basic("ops", "guess-1"), "10.0.0.1");
        call(filter, basic("ops", "guess-2"), "10.0.0.1");
        assertThat(call(filter, basic("ops", "guess-3"), "10.0.0.1").status).isEqualTo(429);
        assertThat(call(filter, basic("ops", "ops-secret"), "10.0.0.1").passed).isTrue();
    }

    @Test
    void failuresOlderThanTheWindowAreForgottenAndTheTrackedAddressesAreBounded() {
        AddressLockout lockout = new AddressLockout(new LockoutPolicy(2, Duration.ofSeconds(60),
                Duration.ofMinutes(15)), Duration.ofHours(1), 2, clock);
        lockout.countFailure("a");
        clock.advance(Duration.ofHours(1));
        lockout.countFailure("a");
        assertThat(lockout.lockedFor("a")).as("the first failure is out of the window").isEmpty();
        lockout.countFailure("a");
        assertThat(lockout.lockedFor("a")).contains(Duration.ofSeconds(60));

        lockout.countFailure("b");
        lockout.countFailure("c"); // a third address: "b"'s count (below the threshold) goes, "a"'s lock stays
        assertThat(lockout.lockedFor("a")).contains(Duration.ofSeconds(60));

        clock.advance(Duration.ofSeconds(10));
        lockout.countFailure("c"); // "c" locked 10 s after "a": every tracked address is locked
        assertThat(lockout.lockedFor("c")).contains(Duration.ofSeconds(60));
        lockout.countFailure("d"); // the lock that ends first ("a") goes, "c" keeps its own
        assertThat(lockout.lockedFor("a")).isEmpty();
        assertThat(lockout.lockedFor("c")).contains(Duration.ofSeconds(60));
        lockout.countFailure("d");
        assertThat(lockout.lockedFor("d")).contains(Duration.ofSeconds(60));
    }

    // --- servlet fakes ------------------------------------------------------------------------------------

    private static String basic(String name, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static final class Answer {
        boolean passed;
        int status;
        String contentType;
        String body = "";
        final Map<String, String> headers = new HashMap<>();

        JsonNode json() throws Exception {
            return Json.mapper().readTree(body);
        }
    }

    private static Answer call(OperatorTaskFilter filter, String authorization, String address) throws Exception {
        Answer answer = new Answer();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(
                OperatorTaskFilterTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> "Authorization".equalsIgnoreCase((String) args[0]) ? authorization : null;
                    case "getRemoteAddr" -> address;
                    case "getRequestURI" -> "/tasks/rebuild-projection";
                    case "getMethod" -> "POST";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }

            @Override
            public void write(int b) {
                bytes.write(b);
            }
        };
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(
                OperatorTaskFilterTest.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setStatus" -> answer.status = (Integer) args[0];
                        case "setHeader" -> answer.headers.put((String) args[0], (String) args[1]);
                        case "setContentType" -> answer.contentType = (String) args[0];
                        case "setContentLength" -> { }
                        case "getOutputStream" -> {
                            return out;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
        filter.doFilter(request, response, (req, res) -> answer.passed = true);
        answer.body = bytes.toString(StandardCharsets.UTF_8);
        return answer;
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-29T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
