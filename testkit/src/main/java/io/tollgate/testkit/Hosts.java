package io.tollgate.testkit;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Hosts of their own on one machine: one Linux network namespace per host ({@code ip netns add}), each joined to a
 * bridge in the root namespace by a veth pair and given its own address in a /24 ({@code 10.77.N.1}, {@code .2},
 * ...; the bridge is {@code .254}, the address at which the hosts reach the test runner's own servers). Every
 * namespace has its loopback up. {@link #exec} runs a {@link ChildProcess} inside a host
 * ({@code ip netns exec}); {@link #cut} and {@link #restore} take a host's link down and up
 * ({@code ip link set <veth> down|up}), as a pulled cable or a failed switch port would.
 *
 * <p>Names carry a random id (namespaces {@code tollgate-<id>-<host>}, links {@code tg<id>...}) and the /24 is
 * one no interface of the machine uses yet, so parallel runs do not clash. {@link #close()} removes every
 * namespace, link and the bridge, also after a failed start, and a shutdown hook does it if the test JVM exits
 * first. Needs root (CAP_NET_ADMIN): where {@code ip netns add} is refused, {@link #create} aborts the calling
 * test with one line saying so.
 */
public final class Hosts implements AutoCloseable {
    /** One host: its name in the test, its namespace, its address and the root side of its veth pair. */
    public record Host(String name, String namespace, String address, String link) {
    }

    private static final Path IP = Path.of("/usr/sbin/ip").toFile().canExecute() ? Path.of("/usr/sbin/ip")
            : Path.of("/sbin/ip");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final String bridge;
    private final String subnet;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> links = new ArrayList<>();
    private boolean bridgeMade;
    private Thread hook;

    private Hosts(String id, String subnet) {
        this.id = id;
        this.subnet = subnet;
        this.bridge = "tg" + id + "br";
    }

    /**
     * Makes one host per name (names of at most 4 characters, e.g. {@code a}, {@code b}, {@code c}): addresses
     * {@code .1}, {@code .2}, ... in the order given. Aborts the calling test (JUnit assumption) when this machine
     * does not allow network namespaces.
     */
    public static Hosts create(String... names) {
        String id = String.format("%04x", RANDOM.nextInt(0x10000));
        Hosts hosts = new Hosts(id, freeSubnet());
        try {
            hosts.make(names);
        } catch (RuntimeException | Error e) {
            hosts.close();
            throw e;
        }
        return hosts;
    }

    private void make(String... names) {
        String probe = "tollgate-" + id + "-" + names[0];
        Result first = run(List.of(IP.toString(), "netns", "add", probe));
        if (first.code != 0) {
            Assumptions.abort("multi-host test skipped: this machine does not allow network namespaces (needs root "
                    + "or CAP_NET_ADMIN; `ip netns add` said: " + first.output.strip() + ")");
        }
        namespaces.add(probe);
        hook = new Thread(this::remove, "hosts-" + id);
        Runtime.getRuntime().addShutdownHook(hook);
        ip("link", "add", bridge, "type", "bridge");
        bridgeMade = true;
        ip("addr", "add", subnet + ".254/24", "dev", bridge);
        ip("link", "set", bridge, "up");
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            if (name.length() > 4 || !name.matches("[a-z0-9]+")) {
                throw new IllegalArgumentException("host names are 1-4 lower-case letters or digits: " + name);
            }
            String ns = "tollgate-" + id + "-" + name;
            if (i > 0) {
                ip("netns", "add", ns);
                namespaces.add(ns);
            }
            String link = "tg" + id + name;
            String inside = "tg" + id + name + "i";
            ip("link", "add", link, "type", "veth", "peer", "name", inside);
            links.add(link);
            ip("link", "set", inside, "netns", ns);
            ip("-n", ns, "link", "set", inside, "name", "eth0");
            ip("link", "set", link, "master", bridge);
            ip("link", "set", link, "up");
            String address = subnet + "." + (i + 1);
            ip("-n", ns, "addr", "add", address + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
            ip("-n", ns, "link", "set", "lo", "up");
            hosts.put(name, new Host(name, ns, address, link));
        }
    }

    /** A /24 of 10.77.0.0/16 no interface on this machine has an address in. */
    private static String freeSubnet() {
        String taken = run(List.of(IP.toString(), "-4", "-o", "addr", "show")).output;
        int start = RANDOM.nextInt(256);
        for (int i = 0; i < 256; i++) {
            String candidate = "10.77." + ((start + i) % 256);
            if (!taken.contains(" " + candidate + ".")) {
                return candidate;
            }
        }
        throw new IllegalStateException("every /24 of 10.77.0.0/16 is in use on this machine");
    }

    public Host host(String name) {
        Host host = hosts.get(name);
        if (host == null) {
            throw new IllegalArgumentException("no host " + name + "; hosts: " + hosts.keySet());
        }
        return host;
    }

    public List<Host> all() {
        return List.copyOf(hosts.values());
    }

    /** The host's address. */
    public String address(String name) {
        return host(name).address();
    }

    /** The bridge's address in the root namespace: where the hosts reach servers the test runner itself runs. */
    public String runnerAddress() {
        return subnet + ".254";
    }

    /** {@code command} as run inside {@code host}: {@code ip netns exec <namespace> command...}. */
    public List<String> inside(String host, List<String> command) {
        List<String> full = new ArrayList<>(List.of(IP.toString(), "netns", "exec", host(host).namespace()));
        full.addAll(command);
        return full;
    }

    /** A child process inside {@code host} (not yet started), its output in {@code log}. */
    public ChildProcess exec(String host, String name, Path log, List<String> command) {
        return new ChildProcess(name, inside(host, command), log);
    }

    /** Takes the host's link down: nothing reaches it, it reaches nothing but itself. */
    public void cut(String host) {
        ip("link", "set", host(host).link(), "down");
    }

    /** Brings the host's link up again after {@link #cut}. */
    public void restore(String host) {
        ip("link", "set", host(host).link(), "up");
    }

    /** Removes every namespace (killing what still runs inside), link and the bridge. Safe to call twice. */
    @Override
    public void close() {
        remove();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs remove() itself
            }
            hook = null;
        }
    }

    private synchronized void remove() {
        for (String ns : namespaces) {
            // Processes of this run's own namespace, each by its id: a namespace's last process keeps it alive.
            for (String pid : run(List.of(IP.toString(), "netns", "pids", ns)).output.split("\\s+")) {
                if (pid.matches("\\d+")) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        for (String link : links) {
            run(List.of(IP.toString(), "link", "del", link));
        }
        links.clear();
        if (bridgeMade) {
            run(List.of(IP.toString(), "link", "del", bridge));
            bridgeMade = false;
        }
        for (String ns : namespaces) {
            run(List.of(IP.toString(), "netns", "del", ns));
        }
        namespaces.clear();
    }

    private void ip(String... args) {
        List<String> command = new ArrayList<>(List.of(IP.toString()));
        command.addAll(List.of(args));
        Result result = run(command);
        if (result.code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.code + "): "
                    + result.output.strip());
        }
    }

    private record Result(int code, String output) {
    }

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, command + " did not finish");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("hosts " + id + " on " + subnet + ".0/24:");
        hosts.values().forEach(h -> out.append(' ').append(h.name()).append('=').append(h.address()));
        return out.toString();
    }

    /** Exposed for messages: the run's id, part of every name it made. */
    public String id() {
        return id;
    }
}
