package io.tollgate.tokenapi.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import com.sun.tools.attach.VirtualMachine;
import io.tollgate.shared.demo.DemoRegistry;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What one refresh grant costs a running token-api process in CPU time and allocated bytes, measured from outside
 * it, so the figures hold on a machine that other work also loads: each of {@code threads} client threads logs in as
 * the demo user, makes {@code warmup} refreshes, then all make {@code refreshes} refreshes in total, each presenting
 * the refresh token the previous answer rotated to. Around the measured ones it reads, over JMX (attached to
 * {@code pid}), the process's CPU time (every thread, GC and JIT included) and each Java thread's CPU time and
 * allocated bytes, and prints them per refresh. Every answer must be a 200 with a new refresh token.
 *
 * <p>Not run by the build; start the infrastructure ({@link BenchStack}) and a token-api on it (README.md,
 * "Measuring a refresh's cost"), then
 * {@code java -Xmx256m -cp <test classpath> io.tollgate.tokenapi.bench.RefreshCostBenchmark <base url> <pid>
 * [threads] [refreshes] [warmup]}.
 */
public final class RefreshCostBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RefreshCostBenchmark() {
    }

    /** The process's CPU time and its Java threads' CPU time and allocated bytes, by thread id. */
    private record Snapshot(long processCpuNanos, Map<Long, long[]> threads) {
        static Snapshot take(OperatingSystemMXBean os, ThreadMXBean threads) {
            long[] ids = threads.getAllThreadIds();
            long[] cpu = threads.getThreadCpuTime(ids);
            long[] allocated = threads.getThreadAllocatedBytes(ids);
            Map<Long, long[]> byId = new HashMap<>();
            for (int i = 0; i < ids.length; i++) {
                if (cpu[i] >= 0 && allocated[i] >= 0) {
                    byId.put(ids[i], new long[] {cpu[i], allocated[i]});
                }
            }
            return new Snapshot(os.getProcessCpuTime(), byId);
        }

        /** Threads' CPU nanos and allocated bytes since {@code before}; a thread born since counts whole. */
        long[] threadsSince(Snapshot before) {
            long cpu = 0;
            long allocated = 0;
            for (Map.Entry<Long, long[]> e : threads.entrySet()) {
                long[] was = before.threads.getOrDefault(e.getKey(), new long[2]);
                cpu += e.getValue()[0] - was[0];
                allocated += e.getValue()[1] - was[1];
            }
            return new long[] {cpu, allocated};
        }
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String pid = args[1];
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int refreshes = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 2_000;
        VirtualMachine vm = VirtualMachine.attach(pid);
        String address = vm.startLocalManagementAgent();
        vm.detach();
        try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            OperatingSystemMXBean os = ManagementFactory.newPlatformMXBeanProxy(server,
                    ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME, OperatingSystemMXBean.class);
            ThreadMXBean threadBeans = ManagementFactory.newPlatformMXBeanProxy(server,
                    ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
            HttpClient http = HttpClient.newHttpClient();
            String[] tokens = new String[threads];
            for (int t = 0; t < threads; t++) {
                tokens[t] = grant(http, base, "grant_type=password&client_id=" + DemoRegistry.CLIENT_ID
                        + "&username=alice&password=alice-secret");
            }
            run(http, base, tokens, warmup / threads);
            Snapshot before = Snapshot.take(os, threadBeans);
            run(http, base, tokens, refreshes / threads);
            Snapshot after = Snapshot.take(os, threadBeans);
            int n = refreshes / threads * threads;
            long[] javaThreads = after.threadsSince(before);
            System.out.printf("refreshes %d, client threads %d: process CPU %.1f µs/refresh, Java threads CPU %.1f "
                            + "µs/refresh, allocated %.1f KB/refresh%n", n, threads,
                    (after.processCpuNanos - before.processCpuNanos) / 1e3 / n, javaThreads[0] / 1e3 / n,
                    javaThreads[1] / 1024.0 / n);
        }
    }

    /** {@code perThread} refreshes on each client thread, each rotating that thread's token. */
    private static void run(HttpClient http, String base, String[] tokens, int perThread) throws Exception {
        CountDownLatch done = new CountDownLatch(tokens.length);
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (int t = 0; t < tokens.length; t++) {
            int slot = t;
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < perThread && failure.get() == null; i++) {
                        tokens[slot] = grant(http, base, "grant_type=refresh_token&client_id="
                                + DemoRegistry.CLIENT_ID + "&refresh_token="
                                + URLEncoder.encode(tokens[slot], StandardCharsets.UTF_8));
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, "refresh-client-" + t);
            thread.start();
        }
        done.await();
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Posts {@code form} to the token endpoint; the answer's refresh token, or a failure for anything but a 200. */
    private static String grant(HttpClient http, String base, String form) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("token endpoint answered " + answer.statusCode() + ": " + answer.body());
        }
        return JSON.readTree(answer.body()).get("refresh_token").asText();
    }
}
