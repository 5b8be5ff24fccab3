package io.tollgate.gateway.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JFR recording of a measured run (settings {@code ops/bench/gateway-run.jfc}) and prints, for
 * {@code ops/bench/gateway-vs-nginx.sh}: the bytes the JVM's threads allocated per request (per-thread allocation at
 * the recording's start and end), the GC count and longest pause, and the top frames of the execution samples and of
 * the allocation samples. Allocation is attributed by the TLAB events (a new TLAB weighs its size, an allocation
 * outside a TLAB its own size: an unbiased estimate); {@code jdk.ObjectAllocationSample}'s weights, used only when
 * the recording has no TLAB event, over-weigh large arrays (every allocation outside a TLAB is a sampling
 * candidate, in-TLAB ones only at a refill), so a per-connection 8 KB buffer could show as a third of all bytes.
 * Args: recording requests [frames].
 *
 * <p>Output lines: {@code alloc <bytes per request>}, {@code allocthreads <bytes per request> <thread group>} (most
 * first), {@code gc <count> <longest pause ms>}, then
 * {@code cpu <share %> <frame>} and {@code allocsite <share %> <frame>} lines, most first, and with TLAB events
 * {@code allocapp <share %> <frame>} lines: the same bytes by the first of the gateway's own frames.
 */
public final class JfrSummary {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long requests = Long.parseLong(args[1]);
        int frames = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Map<Long, long[]> allocatedByThread = new HashMap<>(); // thread id -> first, last, samples, first time
        Map<Long, String> threadNames = new HashMap<>();
        Map<String, Long> cpu = new HashMap<>();
        Map<String, Long> allocSites = new HashMap<>();
        Map<String, Long> tlabSites = new HashMap<>();
        Map<String, Long> appSites = new HashMap<>();
        long cpuSamples = 0;
        long allocWeight = 0;
        long tlabWeight = 0;
        long start = Long.MAX_VALUE;
        int gcs = 0;
        Duration longest = Duration.ZERO;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            switch (e.getEventType().getName()) {
                case "jdk.ThreadAllocationStatistics" -> {
                    if (e.getThread("thread") == null) {
                        continue; // a thread that ended before the chunk was written
                    }
                    long bytes = e.getLong("allocated");
                    long at = e.getStartTime().toEpochMilli();
                    long thread = e.getThread("thread").getId();
                    threadNames.put(thread, group(e.getThread("thread").getJavaName()));
                    long[] span = allocatedByThread.computeIfAbsent(thread, id -> new long[] {bytes, bytes, 0, at});
                    span[1] = bytes;
                    span[2]++;
                    start = Math.min(start, at);
                }
                case "jdk.GarbageCollection" -> {
                    gcs++;
                    Duration pause = e.getDuration("longestPause");
                    if (pause.compareTo(longest) > 0) {
                        longest = pause;
                    }
                }
                case "jdk.ExecutionSample" -> {
                    String frame = top(e.getStackTrace(), false);
                    if (frame != null) {
                        cpu.merge(frame, 1L, Long::sum);
                        cpuSamples++;
                    }
                }
                case "jdk.ObjectAllocationSample" -> {
                    String frame = top(e.getStackTrace(), true);
                    long weight = e.getLong("weight");
                    if (frame != null) {
                        allocSites.merge(frame, weight, Long::sum);
                        allocWeight += weight;
                    }
                }
                case "jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB" -> {
                    String frame = top(e.getStackTrace(), true);
                    long weight = e.getEventType().getName().endsWith("NewTLAB") ? e.getLong("tlabSize")
                            : e.getLong("allocationSize");
                    if (frame != null) {
                        tlabSites.merge(frame, weight, Long::sum);
                        appSites.merge(appFrame(e.getStackTrace()), weight, Long::sum);
                        tlabWeight += weight;
                    }
                }
                default -> { }
            }
        }
        long allocated = 0;
        Map<String, Long> byGroup = new HashMap<>();
        for (Map.Entry<Long, long[]> thread : allocatedByThread.entrySet()) {
            long[] span = thread.getValue();
            // A thread seen only at the end started during the run: all it allocated counts. One seen only at the
            // start ended during the run: what it allocated after the start is not known (the JVM's threads of a
            // serving gateway live for the whole run).
            boolean bornDuringRun = span[2] == 1 && span[3] > start + 1_000;
            long bytes = bornDuringRun ? span[1] : span[1] - span[0];
            allocated += bytes;
            byGroup.merge(threadNames.get(thread.getKey()), bytes, Long::sum);
        }
        System.out.printf("alloc %d%n", requests > 0 ? allocated / requests : 0);
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(frames)
                .forEach(group -> System.out.printf("allocthreads %d %s%n",
                        requests > 0 ? group.getValue() / requests : 0, group.getKey()));
        System.out.printf("gc %d %.2f%n", gcs, longest.toNanos() / 1e6);
        print("cpu", cpu, cpuSamples, frames);
        if (tlabWeight > 0) {
            print("allocsite", tlabSites, tlabWeight, frames);
            print("allocapp", appSites, tlabWeight, frames);
        } else {
            print("allocsite", allocSites, allocWeight, frames);
        }
    }

    /** A thread's name with its numbers as {@code N}: the event loops, say, count as one group. */
    private static String group(String name) {
        return name == null ? "?" : name.replaceAll("[0-9]+", "N").replace(' ', '_');
    }

    /**
     * The top frame of a sample; for an allocation, the first frame outside the JDK's own packages (the code that
     * asked for the memory rather than {@code Arrays.copyOf}).
     */
    private static String top(RecordedStackTrace stack, boolean caller) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return null;
        }
        List<RecordedFrame> frames = stack.getFrames();
        RecordedFrame chosen = frames.get(0);
        if (caller) {
            for (RecordedFrame frame : frames) {
                String type = frame.getMethod().getType().getName();
                if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                    chosen = frame;
                    break;
                }
            }
        }
        String type = chosen.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + chosen.getMethod().getName();
    }

    /** The first of the gateway's own frames of an allocation's stack (who asked Netty or Kafka for it), or "-". */
    private static String appFrame(RecordedStackTrace stack) {
        if (stack != null) {
            for (RecordedFrame frame : stack.getFrames()) {
                String type = frame.getMethod().getType().getName();
                if (type.startsWith("io.tollgate.")) {
                    return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
                }
            }
        }
        return "-";
    }

    private static void print(String kind, Map<String, Long> counts, long total, int limit) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(limit)
                .forEach(entry -> System.out.printf("%s %.1f %s%n", kind, 100.0 * entry.getValue() / total,
                        entry.getKey()));
    }
}
