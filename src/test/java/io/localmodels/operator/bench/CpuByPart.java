package io.localmodels.operator.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time of the one benchmark process by part: the operator, the mock API server, the fake Ollama, the fake
 * kubelet and proxies, the benchmark itself, the JVM's own threads. A sampler reads every Java thread's CPU time
 * ({@link com.sun.management.ThreadMXBean}) every {@link #PERIOD_MILLIS} ms and adds what each used since the
 * last sample to its part's total (a few dozen totals by part and thread name: nothing grows with the run), so a
 * window ({@link #between} two {@link #snapshot}s, each taken with a fresh sample) loses only what a thread used
 * after its last sample before it ended; the threads ThreadMXBean does not list (GC, JIT, VM) are read from
 * {@code /proc/self/task} at both ends (10 ms ticks); and what the process used beyond all that (its total CPU
 * time) is printed as threads that ended between samples, so the parts always add up to the process.
 * <p>A thread belongs to a part by its name (the names a thread dump shows). Names that tell nothing are
 * resolved: JOSDK's reconciler threads are named {@code pool-K-thread-M} when idle and
 * {@code ReconcilerExecutor-…} while they work, so a pool one of whose threads was seen working belongs to the
 * operator from then on; the mock API server's per-watch executors are unnamed pools too, so an unnamed thread
 * that used CPU has its stack read (at most {@link #STACK_TRIES} times) and the first frame of a known package
 * decides, for the thread and its pool. What an unnamed thread used before its part was known stays
 * unattributed. The two fabric8 clients' threads are named by the benchmark ({@link #claim}).
 */
final class CpuByPart implements AutoCloseable {

    static final String OPERATOR = "operator";
    static final String API_SERVER = "mock API server";
    static final String OLLAMA = "fake Ollama";
    static final String KUBELET = "fake kubelet and proxies";
    static final String BENCH = "benchmark (watches, ledger, sampler)";
    static final String GC = "JVM: garbage collector";
    static final String JIT = "JVM: JIT compiler";
    static final String JVM = "JVM: other (VM thread, reference handling, sweeper)";
    static final String UNNAMED = "unattributed (threads named pool-*, Thread-*, OkHttp TaskRunner never seen working)";
    static final String ENDED = "threads that ended between samples";
    static final long PERIOD_MILLIS = 200;
    private static final int STACK_TRIES = 3;

    /** Prefixes of thread names, in order; the first that matches decides. */
    private static final List<Map.Entry<String, String>> BY_NAME = List.of(
            Map.entry("ReconcilerExecutor-", OPERATOR), Map.entry("health-probe-scheduler", OPERATOR),
            Map.entry("ollama-load-", OPERATOR), Map.entry("model-pull-", OPERATOR), Map.entry("model-check-", OPERATOR),
            Map.entry("localmodel-monitor-events", OPERATOR), Map.entry("traffic-reader", OPERATOR),
            Map.entry("pull-progress-notices", OPERATOR), Map.entry("operator-http", OPERATOR),
            // okhttp: the operator's Ollama and proxy-metrics client (a call renames its thread to the URL)
            Map.entry("OkHttp Dispatcher", OPERATOR), Map.entry("OkHttp http", OPERATOR),
            Map.entry("OkHttp ConnectionPool", OPERATOR), Map.entry("Okio Watchdog", OPERATOR),
            // JOSDK: informers, start-up, TimerEventSource (java.util.Timer's default name)
            Map.entry("InformerWrapper", OPERATOR), Map.entry("Controller Starter", OPERATOR),
            Map.entry("DEFAULT start", OPERATOR), Map.entry("Timer-", OPERATOR),
            Map.entry(OperatorClientThreads.class.getSimpleName(), OPERATOR),
            Map.entry(OperatorClientTasks.class.getSimpleName(), OPERATOR),
            // the fabric8 mock web server runs on vert.x; nothing else in the process does
            Map.entry("vert.x-", API_SERVER), Map.entry("vertx-", API_SERVER),
            // FleetOllama: a JDK HTTP server
            Map.entry("fleet-ollama", OLLAMA), Map.entry("HTTP-Dispatcher", OLLAMA), Map.entry("idle-timeout-task", OLLAMA),
            // FleetProxies' mockwebserver3 servers run their connections on okhttp's TaskRunner, renamed to the server
            Map.entry("fleet-kubelet", KUBELET), Map.entry("fleet-proxies", KUBELET), Map.entry("MockWebServer", KUBELET),
            Map.entry(BenchClientThreads.class.getSimpleName(), BENCH),
            Map.entry(BenchClientTasks.class.getSimpleName(), BENCH),
            Map.entry("main", BENCH), Map.entry("api-ledger", BENCH), Map.entry("cpu-by-part", BENCH),
            Map.entry("Reference Handler", JVM), Map.entry("Finalizer", JVM), Map.entry("Signal Dispatcher", JVM),
            Map.entry("Common-Cleaner", JVM), Map.entry("Notification Thread", JVM), Map.entry("Attach Listener", JVM));

    /** Packages of stack frames, in order, for threads whose name tells nothing. */
    private static final List<Map.Entry<String, String>> BY_FRAME = List.of(
            Map.entry("io.localmodels.operator.bench.FleetOllama", OLLAMA),
            Map.entry("io.localmodels.operator.bench.FleetKubelet", KUBELET),
            Map.entry("io.localmodels.operator.bench.FleetProxies", KUBELET),
            Map.entry("io.localmodels.operator.testing.Kubelet", KUBELET),
            Map.entry("io.localmodels.operator.bench.", BENCH),
            Map.entry("io.localmodels.operator.", OPERATOR), Map.entry("io.javaoperatorsdk.", OPERATOR),
            Map.entry("io.fabric8.mockwebserver.", API_SERVER), Map.entry("io.fabric8.kubernetes.client.server.mock.", API_SERVER),
            Map.entry("io.vertx.", API_SERVER), Map.entry("mockwebserver3.", KUBELET));

    /** Exact thread names given to a part by the benchmark: the JDK HTTP client's selector thread of each client. */
    private static final Map<String, String> CLAIMED = new ConcurrentHashMap<>();
    private static final Pattern POOL = Pattern.compile("^(pool-\\d+)-thread-\\d+$");
    /**
     * The threads ThreadMXBean does not list (GC and VM threads, and on JDK 17 the JIT compiler, sweeper, service
     * and monitor deflation threads, which are hidden Java threads), by the name Linux gives them in /proc (15
     * characters at most).
     */
    private static final List<Map.Entry<String, String>> NATIVE_JVM = List.of(Map.entry("GC Thread", GC),
            Map.entry("G1 ", GC), Map.entry("C1 CompilerThre", JIT), Map.entry("C2 CompilerThre", JIT),
            Map.entry("VM Thread", JVM), Map.entry("VM Periodic", JVM), Map.entry("Sweeper thread", JVM),
            Map.entry("Service Thread", JVM), Map.entry("Monitor Deflati", JVM));
    private static final double TICK_NANOS = 1e9 / 100; // USER_HZ, 100 on Linux

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** The live threads as last sampled; a thread that ended is dropped at the next sample. */
    private final Map<Long, Seen> seen = new HashMap<>();
    private final Map<String, String> pools = new HashMap<>();
    /** CPU nanoseconds counted so far by "part\tthread name" (digits as N): a few dozen keys, whatever the run's length. */
    private final Map<String, Long> totals = new HashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    /** One Java thread as sampled: its CPU time at the last sample and the part it was found to belong to. */
    private static final class Seen {
        long cpuNanos;
        String part;
        String pool;
        String name;
        int stackTries;
        /** "part\tname" with digits as N, kept while part and name stay the same (a regex per sample costs). */
        String key;
        String keyOf;
    }

    /** A point in time: CPU nanoseconds so far by "part\tthread name", the native JVM threads' by part, the process's. */
    record Snapshot(Map<String, Long> byPartAndName, Map<String, Long> nativeJvmNanos, long processNanos, long wallNanos) {
    }

    /** The window between two snapshots: CPU seconds by part, by "part: thread name", and what the sampler used. */
    record Window(Map<String, Double> seconds, Map<String, Double> byThreadName, double wallSeconds) {

        double of(String part) {
            return seconds.getOrDefault(part, 0.0);
        }

        /** "operator=12.3 s (0.24 cores), mock API server=…" in a fixed order. */
        String describe() {
            StringBuilder out = new StringBuilder();
            seconds.forEach((part, s) -> out.append(out.isEmpty() ? "" : ", ").append(part).append('=')
                    .append(String.format(java.util.Locale.ROOT, "%.1f s (%.2f cores)", s, s / wallSeconds)));
            return out.toString();
        }

        /** The busiest {@code limit} "part: thread name" entries, seconds rounded to 10 ms. */
        Map<String, Double> busiest(int limit) {
            Map<String, Double> out = new LinkedHashMap<>();
            byThreadName.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(limit)
                    .forEach(e -> out.put(e.getKey(), Math.round(e.getValue() * 100) / 100.0));
            return out;
        }

        double samplerSeconds() {
            return byThreadName.getOrDefault(BENCH + ": cpu-by-part", 0.0);
        }
    }

    CpuByPart() {
        if (!threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        sampler = new Thread(this::run, "cpu-by-part");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Gives the thread of this exact name to {@code part} (a thread dump cannot tell whose it is). */
    static void claim(String threadName, String part) {
        CLAIMED.put(threadName, part);
    }

    /** Names of the live threads that start with {@code prefix}. */
    static Set<String> liveThreadNames(String prefix) {
        Set<String> names = new java.util.HashSet<>();
        Thread.getAllStackTraces().keySet().forEach(t -> {
            if (t.getName().startsWith(prefix)) {
                names.add(t.getName());
            }
        });
        return names;
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(PERIOD_MILLIS); // a sampler: it reads the clocks at a fixed pace on purpose
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    /**
     * Reads every Java thread's CPU time now and adds what each used since the last sample to its part as known
     * now (a thread's part once found stays; a pool's part, once found, covers its other threads).
     */
    private synchronized void sample() {
        long[] ids = threads.getAllThreadIds();
        long[] cpu = threads.getThreadCpuTime(ids);
        ThreadInfo[] infos = threads.getThreadInfo(ids, 0);
        Map<Long, Seen> live = new HashMap<>();
        Map<Long, Long> deltas = new HashMap<>();
        List<Long> unknownBusy = new java.util.ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] == null || cpu[i] < 0) {
                continue; // ended since getAllThreadIds: what it used since the last sample counts as ended
            }
            Seen s = seen.getOrDefault(ids[i], new Seen());
            live.put(ids[i], s);
            deltas.put(ids[i], cpu[i] - s.cpuNanos);
            s.cpuNanos = cpu[i];
            s.name = infos[i].getThreadName();
            String part = byName(s.name);
            Matcher pool = POOL.matcher(s.name);
            if (pool.matches()) {
                s.pool = pool.group(1);
            }
            if (part != null && s.part == null) {
                s.part = part;
            }
            if (s.part != null && s.pool != null) {
                pools.putIfAbsent(s.pool, s.part);
            }
            if (partOf(s) == null && deltas.get(ids[i]) > 0 && s.stackTries < STACK_TRIES) {
                unknownBusy.add(ids[i]);
            }
        }
        if (!unknownBusy.isEmpty()) {
            for (ThreadInfo info : threads.getThreadInfo(unknownBusy.stream().mapToLong(Long::longValue).toArray(), 40)) {
                if (info == null) {
                    continue;
                }
                Seen s = live.get(info.getThreadId());
                s.stackTries++;
                String part = byFrames(info.getStackTrace());
                if (part != null) {
                    s.part = part;
                    if (s.pool != null) {
                        pools.putIfAbsent(s.pool, part);
                    }
                }
            }
        }
        live.forEach((id, s) -> {
            String part = partOf(s);
            String of = part + "\t" + s.name;
            if (!of.equals(s.keyOf)) {
                s.keyOf = of;
                s.key = (part == null ? UNNAMED : part) + "\t" + s.name.replaceAll("\\d+", "N");
            }
            totals.merge(s.key, deltas.get(id), Long::sum);
        });
        seen.clear();
        seen.putAll(live);
    }

    private String partOf(Seen s) {
        return s.part != null ? s.part : s.pool != null ? pools.get(s.pool) : null;
    }

    /** The CPU counted so far (after a fresh sample), the native JVM threads' and the process's. */
    synchronized Snapshot snapshot() {
        sample();
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new Snapshot(new HashMap<>(totals), nativeJvmNanos(), process, System.nanoTime());
    }

    /** CPU seconds by part, and by part and thread name, between {@code start} and {@code end}. */
    static Window between(Snapshot start, Snapshot end) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String part : List.of(OPERATOR, API_SERVER, OLLAMA, KUBELET, BENCH, GC, JIT, JVM, UNNAMED, ENDED)) {
            seconds.put(part, 0.0);
        }
        Map<String, Double> byName = new HashMap<>();
        long counted = 0;
        for (var e : end.byPartAndName().entrySet()) {
            long delta = e.getValue() - start.byPartAndName().getOrDefault(e.getKey(), 0L);
            counted += delta;
            String[] partAndName = e.getKey().split("\t", 2);
            seconds.merge(partAndName[0], delta / 1e9, Double::sum);
            byName.merge(partAndName[0] + ": " + partAndName[1], delta / 1e9, Double::sum);
        }
        for (var e : end.nativeJvmNanos().entrySet()) {
            long delta = e.getValue() - start.nativeJvmNanos().getOrDefault(e.getKey(), 0L);
            counted += delta;
            seconds.merge(e.getKey(), delta / 1e9, Double::sum);
        }
        // never negative in truth; the /proc ticks (10 ms) and the sample's instants can make it so by a little
        seconds.put(ENDED, (end.processNanos() - start.processNanos() - counted) / 1e9);
        return new Window(seconds, byName, (end.wallNanos() - start.wallNanos()) / 1e9);
    }

    private static String byName(String name) {
        String claimed = CLAIMED.get(name);
        if (claimed != null) {
            return claimed;
        }
        for (var rule : BY_NAME) {
            if (name.startsWith(rule.getKey())) {
                return rule.getValue();
            }
        }
        return null;
    }

    private static String byFrames(StackTraceElement[] frames) {
        for (StackTraceElement frame : frames) {
            for (var rule : BY_FRAME) {
                if (frame.getClassName().startsWith(rule.getKey())) {
                    return rule.getValue();
                }
            }
        }
        return null;
    }

    /** CPU nanoseconds by part of the GC, JIT and VM threads, which ThreadMXBean does not list. */
    private static Map<String, Long> nativeJvmNanos() {
        Map<String, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String comm = stat.substring(open + 1, close);
                    var part = NATIVE_JVM.stream().filter(e -> comm.startsWith(e.getKey())).findFirst();
                    if (part.isEmpty()) {
                        continue;
                    }
                    // after "(comm) ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
                    String[] f = stat.substring(close + 2).split(" ");
                    ticks.merge(part.get().getValue(), Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while it was read: its time is in the process's total, as an ended thread's
                }
            }
        } catch (IOException e) {
            return Map.of(); // no /proc: all of it counts as ended threads'
        }
        Map<String, Long> nanos = new HashMap<>();
        ticks.forEach((part, t) -> nanos.put(part, (long) (t * TICK_NANOS)));
        return nanos;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }

    /** Names the operator client's HTTP threads: fabric8 names a factory's threads by its class's simple name. */
    static final class OperatorClientThreads extends io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory {
    }

    /** Names the benchmark client's HTTP threads. */
    static final class BenchClientThreads extends io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory {
    }

    /** The operator client's task executor (informer callbacks), as fabric8's default but named. */
    static final class OperatorClientTasks extends ClientTasks {
    }

    /** The benchmark client's task executor. */
    static final class BenchClientTasks extends ClientTasks {
    }

    /** fabric8's default task executor ({@code BaseClient}): a cached pool of daemon threads, shut down on close. */
    abstract static class ClientTasks implements io.fabric8.kubernetes.client.KubernetesClientBuilder.ExecutorSupplier {
        @Override
        public java.util.concurrent.Executor get() {
            return java.util.concurrent.Executors.newCachedThreadPool(io.fabric8.kubernetes.client.utils.Utils.daemonThreadFactory(this));
        }

        @Override
        public void onClose(java.util.concurrent.Executor executor) {
            ((java.util.concurrent.ExecutorService) executor).shutdownNow();
        }
    }
}
