package io.localmodels.operator.bench;

import io.localmodels.operator.testing.OperatorHarness;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.kube.CanonicalStrings;
import io.localmodels.operator.health.HealthMonitor;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.localmodels.operator.api.Backend;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelSpec;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.ModelRouterSpec;
import io.localmodels.operator.api.ProbeSpec;
import io.localmodels.operator.api.RoutedModel;
import io.localmodels.operator.config.Durations;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.health.ProbeSettings;
import io.localmodels.operator.router.ProxyResources;
import io.localmodels.operator.runtime.LocalModelsOperator;
import io.localmodels.operator.testing.MockCluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.localmodels.operator.ops.OperatorHttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The fleet benchmark: in one process the fabric8 mock API server, a fake Ollama for every LocalModel and the real
 * operator, wired as {@code run} wires it. For each fleet size it measures start-up, time until every LocalModel is
 * Ready with health in status and every ModelRouter Ready, API requests per model, writes in a steady-state window,
 * writes on a full resync by a restarted operator, busy backends (a tenth of the fleet's slots held by long user
 * requests) that must stay routed while one backend that really fails must leave its router, failover time and
 * memory, health from users' traffic through the routers' proxies ({@link TrafficPhase}: probes per model per hour
 * with 80 % of the fleet busy, failover of a busy backend that breaks), and prints one line per figure. A main in the test tree, so no test run includes it; docs/performance.md
 * has the command and the figures.
 * <p>Where the writes and the CPU went: the Events the operator created, by kind, type and reason ({@link ApiLedger},
 * e.g. {@code LocalModel Normal/Ready=1000, ModelRouter Normal/ConfigApplied=40}), for the bring-up and for the
 * steady, settling, quiet and resync windows; and the CPU seconds the one process used by part ({@link CpuByPart}:
 * the operator, the mock API server, the fake Ollama, the fake kubelet and proxies, the benchmark, the JVM's own
 * threads, threads that ended between samples), with the cores each kept busy and the busiest threads by name, for
 * the bring-up and the steady window, and the operator's CPU per model until Ready.
 *
 * <p>System properties: {@code bench.models} (sizes, default {@code 100,1000}), {@code bench.routers} (10),
 * {@code bench.steadySeconds} (300), {@code bench.latencyMs} (fake chat latency, 50), {@code bench.loadMs} (fake
 * model load time, 1000), {@code bench.failureRate} (share of chats answered 500, 0), {@code bench.probeInterval}
 * (the fleet's {@code spec.probe.interval}; unset means the default 30s), {@code bench.probeTimeout} (the fleet's
 * {@code spec.probe.timeout}, 10s), {@code bench.busyGrace} (the fleet's {@code spec.probe.busyGrace}, 10m),
 * {@code bench.busySeconds} (how long the user requests hold the slots, 4 fleet probe intervals),
 * {@code bench.failoverInterval} (probe interval of the backend that fails, 2s), {@code bench.statusPeriod} and
 * {@code bench.probeConcurrency} (operator settings; unset means the defaults); {@code bench.quietSeconds},
 * {@code bench.fillSeconds}, {@code bench.settleSeconds} and {@code bench.readyMinutes} for the quiet fleet and the
 * bring-up (see {@link #quietFleet}); {@code bench.trace} (FleetWatch); the traffic phase's own are listed on
 * {@link TrafficPhase}.
 */
public final class FleetBenchmark {

    static final String NS = "llm";
    static final String OPERATOR_AGENT = "localmodels-operator";
    static final String BENCH_AGENT = "fleet-benchmark";
    static final String MODEL = "qwen3:0.6b";
    static final String DIGEST = "7df6b6e09427a769808717c0a93cadc4ae99ed4eb8bf5ca557c90846becea435";
    static final int GROUP_SIZE = 5;
    /** The mock API server logs every request through java.util.logging; held so the level set on it stays. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private final int routers = Integer.getInteger("bench.routers", 10);
    private final Duration steady = Duration.ofSeconds(Integer.getInteger("bench.steadySeconds", 300));
    /** The quiet-fleet window, after every model's window is full; as long as the steady window unless set. */
    private final Duration quiet = Duration.ofSeconds(Integer.getInteger("bench.quietSeconds", (int) steady.toSeconds()));
    private final long latencyMillis = Long.getLong("bench.latencyMs", 50);
    private final double failureRate = Double.parseDouble(System.getProperty("bench.failureRate", "0"));
    private final String probeInterval = System.getProperty("bench.probeInterval");
    private final Duration fleetInterval = probeInterval == null ? ProbeSettings.DEFAULT_INTERVAL
            : Durations.parse(probeInterval, null);
    /**
     * Short, so a probe that waits behind a user's request times out, and is Busy, well within the busy phase (the
     * default 60s would need a phase of many intervals), and long enough that no probe of the restarted operator
     * ends inside the resync window (about 6 s), whose figure must count what reconciling writes.
     */
    private final String probeTimeout = System.getProperty("bench.probeTimeout", "10s");
    /** Longer than the busy phase: a backend busy for the whole phase stays within its grace. */
    private final String busyGrace = System.getProperty("bench.busyGrace", "10m");
    private final long loadMillis = Long.getLong("bench.loadMs", 1000);
    private final Duration busyPhase = Duration.ofSeconds(Integer.getInteger("bench.busySeconds",
            (int) fleetInterval.multipliedBy(4).toSeconds()));
    private final String failoverInterval = System.getProperty("bench.failoverInterval", "2s");
    private final OperatorConfig config;

    private FleetBenchmark() {
        OperatorConfig c = OperatorConfig.defaults();
        String period = System.getProperty("bench.statusPeriod");
        if (period != null) {
            c = c.withStatusPeriod(Durations.parse(period, null));
        }
        Integer concurrency = Integer.getInteger("bench.probeConcurrency");
        if (concurrency != null) {
            c = c.withProbeConcurrency(concurrency);
        }
        this.config = c;
    }

    public static void main(String[] args) throws Exception {
        // logback's configuration for the operator would print INFO lines for every model: they would be measured
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.localmodels"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        FleetBenchmark bench = new FleetBenchmark();
        bench.printSetup();
        for (String size : System.getProperty("bench.models", "100,1000").split(",")) {
            bench.run(Integer.parseInt(size.trim()));
        }
        System.exit(0); // informer and client threads of the closed runs must not keep the JVM alive
    }

    private void printSetup() {
        System.out.printf(Locale.ROOT, "setup: %d cores, max heap %d MiB, java %s %s; operator statusPeriod %s, "
                        + "probeConcurrency %d, routerRolloutInterval %s; fleet probe interval %s, failover probe interval %s, "
                        + "fake chat latency %d ms, failure rate %.2f, steady window %d s, %d routers; fleet probe timeout %s, "
                        + "busyGrace %s, fake load time %d ms, busy phase %d s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Durations.format(config.statusPeriod()), config.probeConcurrency(),
                Durations.format(config.routerRolloutInterval()), probeInterval == null ? "30s (default)" : probeInterval,
                failoverInterval, latencyMillis, failureRate, steady.toSeconds(), routers, probeTimeout, busyGrace,
                loadMillis, busyPhase.toSeconds());
    }

    /** One fleet size, from an empty mock API server to a closed operator. */
    private void run(int n) throws Exception {
        String tag = "N=" + n;
        IndexedCrudDispatcher dispatcher = new IndexedCrudDispatcher();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        Config base;
        try (KubernetesClient seed = server.createClient()) {
            base = seed.getConfiguration();
        }
        KubernetesClient bench = client(base, BENCH_AGENT, new CpuByPart.BenchClientThreads(),
                new CpuByPart.BenchClientTasks(), CpuByPart.BENCH);
        KubernetesClient operatorClient = client(base, OPERATOR_AGENT, new CpuByPart.OperatorClientThreads(),
                new CpuByPart.OperatorClientTasks(), CpuByPart.OPERATOR);
        MockCluster.installCrds(bench);
        try (CpuByPart cpu = new CpuByPart();
             FleetOllama ollama = new FleetOllama(latencyMillis, failureRate, loadMillis);
             ApiLedger ledger = new ApiLedger(server, dispatcher);
             FleetKubelet kubelet = new FleetKubelet(bench, NS);
             FleetProxies proxies = new FleetProxies(bench, NS);
             FleetWatch watch = new FleetWatch(bench, NS)) {
            Fleet fleet = createFleet(bench, ollama, n);
            World world = new World(tag, n, bench, operatorClient, ollama, proxies, ledger, watch, fleet, cpu, kubelet);
            figure(tag, "process heap after GC, before the operator started", mib(HeapHistogram.live(tag, "before")), "MiB");
            ThreadDump.write(tag, "before"); // the threads that are not the operator's

            long heapWithOperator = firstOperator(world);
            // a full resync of an unchanged world: a new operator reconciles everything the first one left
            resync(world);
            long heapAfterClose = HeapHistogram.liveOnce(tag, "stopped", HealthMonitor.class);
            ThreadDump.write(tag, "stopped");
            figure(tag, "operator heap after GC (live objects running minus stopped)",
                    mib(heapWithOperator - heapAfterClose), "MiB");
            figure(tag, "operator heap per model", (heapWithOperator - heapAfterClose) / 1024.0 / n, "KiB");
        } finally {
            bench.close();
            operatorClient.close();
            server.destroy();
        }
    }

    /** Everything one fleet size runs against. */
    private record World(String tag, int n, KubernetesClient bench, KubernetesClient operatorClient,
                         FleetOllama ollama, FleetProxies proxies, ApiLedger ledger, FleetWatch watch, Fleet fleet,
                         CpuByPart cpu, FleetKubelet kubelet) {
    }

    /**
     * The first operator: start-up, time to a Ready fleet, steady state, memory, failover. Returns the process heap
     * after GC while it ran; it is closed and unreachable when this returns.
     */
    private long firstOperator(World w) throws Exception {
        String tag = w.tag();
        int n = w.n();
        ApiLedger.Counts before = w.ledger().snapshot();
        w.watch().modelFields().start();
        w.watch().routerFields().start();
        CpuByPart.Snapshot cpuBefore = w.cpu().snapshot();
        long t0 = System.nanoTime();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LocalModelsOperator operator = startOperator(w, registry);
        try {
            long started = System.nanoTime();
            waitUntil(() -> reconciles(registry) > 0, Duration.ofMinutes(2), "the first reconcile");
            figure(tag, "operator start() returned", ms(started - t0), "ms");
            figure(tag, "start-up to the first reconcile", ms(System.nanoTime() - t0), "ms");
            long[] lastPrint = {System.nanoTime()};
            boolean allReady = waitFor(() -> {
                if (System.nanoTime() - lastPrint[0] > 10e9) {
                    lastPrint[0] = System.nanoTime();
                    System.out.printf(Locale.ROOT, "progress[%s] %.0f s: %d/%d LocalModels and %d/%d ModelRouters Ready, "
                                    + "%.0f probes, %.0f reconciles; phases %s, pods made %d%n", tag,
                            secs(lastPrint[0] - t0), w.watch().readyModels(), n, w.watch().readyRouters(), routers,
                            probes(registry), reconciles(registry), w.watch().phases(),
                            w.ledger().snapshot().minus(before).writesBy(BENCH_AGENT).getOrDefault("POST pods", 0L));
                }
                return w.watch().readyModels() == n && w.watch().readyRouters() == routers;
            }, Duration.ofMinutes(Integer.getInteger("bench.readyMinutes", 15)));
            CpuByPart.Snapshot cpuReady = w.cpu().snapshot();
            // a fleet that is not all Ready in time is still measured (memory, /metrics), with the count said
            figure(tag, "time until all LocalModels Ready with health and all ModelRouters Ready",
                    allReady ? secs(System.nanoTime() - t0) : -1, "s");
            figure(tag, "LocalModels Ready with health when the bring-up wait ended", w.watch().readyModels(), "models");
            ApiLedger.Counts toReady = w.ledger().snapshot().minus(before);
            figure(tag, "API reads per model until Ready", per(toReady.reads(OPERATOR_AGENT), n), "requests");
            figure(tag, "API writes per model until Ready", per(toReady.writes(OPERATOR_AGENT), n), "requests");
            // the one mock API server on the same cores serves them all: its rate bounds a bring-up
            double upSeconds = secs(System.nanoTime() - t0);
            figure(tag, "API requests until Ready, every client (operator, fake cluster, watches)", toReady.requests(),
                    "requests");
            figure(tag, "API requests per second until Ready, every client", toReady.requests() / upSeconds, "requests/s");
            figure(tag, "failed reconciles until Ready (retried)", failedReconciles(registry), "reconciles");
            podToReady(w);
            detail(tag, "reads until Ready", toReady.readsBy(OPERATOR_AGENT));
            detail(tag, "writes until Ready", toReady.writesBy(OPERATOR_AGENT));
            detail(tag, "Events until Ready by kind type/reason", toReady.eventsBy(OPERATOR_AGENT));
            detail(tag, "writes of the benchmark's kubelet and proxies until Ready", toReady.writesBy(BENCH_AGENT));
            detail(tag, "LocalModel status writes until Ready by field moved (a first status counts as one)",
                    w.watch().modelFields().stop());
            detail(tag, "ModelRouter status writes until Ready by field moved", w.watch().routerFields().stop());
            cpuFigures(w, "until Ready", cpuBefore, cpuReady);

            // steady state: probes running, nothing changing
            ApiLedger.Counts steadyStart = w.ledger().snapshot();
            double probesBefore = probes(registry);
            long cpu0 = processCpuNanos();
            CpuByPart.Snapshot cpuSteady = w.cpu().snapshot();
            long s0 = System.nanoTime();
            Thread.sleep(steady.toMillis()); // a benchmark, not a test: it measures over wall time on purpose
            ApiLedger.Counts inSteady = w.ledger().snapshot().minus(steadyStart);
            cpuFigures(w, "in steady state", cpuSteady, w.cpu().snapshot());
            double minutes = (System.nanoTime() - s0) / 60e9;
            double cores = (processCpuNanos() - cpu0) / (minutes * 60e9);
            double probed = probes(registry) - probesBefore;
            figure(tag, "probes per second in steady state", probed / (minutes * 60), "probes/s");
            figure(tag, "steady-state writes per model per minute",
                    inSteady.writes(OPERATOR_AGENT) / (double) n / minutes, "writes");
            figure(tag, "steady-state reads per model per minute",
                    inSteady.reads(OPERATOR_AGENT) / (double) n / minutes, "requests");
            figure(tag, "steady-state allowance per model per minute (one per status period)",
                    60.0 / config.statusPeriod().toSeconds(), "writes");
            figure(tag, "process CPU in steady state (operator, mock API server and fake Ollama together)",
                    cores, "cores");
            detail(tag, "steady-state writes", inSteady.writesBy(OPERATOR_AGENT));
            detail(tag, "steady-state Events by kind type/reason", inSteady.eventsBy(OPERATOR_AGENT));
            // what the mock API server served the benchmark's own clients meanwhile (its CPU above includes it)
            detail(tag, "steady-state requests of the benchmark's watches, kubelet and proxies",
                    inSteady.readsBy(BENCH_AGENT));
            detail(tag, "steady-state writes of the benchmark's kubelet and proxies", inSteady.writesBy(BENCH_AGENT));

            quietFleet(w, registry);
            scrape(w, registry);

            long heapWithOperator = HeapHistogram.live(tag, "running");
            ThreadDump.write(tag, "running");
            figure(tag, "process heap after GC, operator running", mib(heapWithOperator), "MiB");
            figure(tag, "process RSS, operator running", rssMiB(), "MiB");
            figure(tag, "meters in the operator's registry", registry.getMeters().size(), "meters");

            if (allReady) {
                busyBackends(w, registry);
                new TrafficPhase(tag, w.bench(), w.ollama(), w.proxies(), w.watch(), registry, config.statusPeriod(),
                        fleetInterval, w.fleet().routerOf(), w.fleet().victim()).run();
            } else {
                System.out.println("info[" + tag + "]: busy, failover and traffic phases skipped: the fleet was not all Ready");
            }
            return heapWithOperator;
        } finally {
            operator.close();
        }
    }

    /**
     * A quiet fleet: once every model's window is full (the operator's probe counters, not status: a publish rule
     * may leave the window's fill count out of status) and nothing changes, how often the operator still writes. Waits for the windows for at
     * most {@code bench.fillSeconds} (window + 5 fleet probe intervals); run with a short {@code bench.probeInterval}
     * to get there quickly (docs/performance.md). A model whose window is not full when the wait ends is counted in
     * the printed figure, which then is not a quiet fleet's.
     */
    private void quietFleet(World w, MeterRegistry registry) throws InterruptedException {
        String tag = w.tag();
        int n = w.n();
        int window = ProbeSettings.DEFAULT_WINDOW;
        long t0 = System.nanoTime();
        Duration fill = Duration.ofSeconds(Integer.getInteger("bench.fillSeconds",
                (int) fleetInterval.multipliedBy(window + 5).toSeconds()));
        boolean full = waitFor(() -> fullWindows(registry, window) >= n - 1, fill); // lm-0000 probes faster: full first
        figure(tag, "quiet: fleet Ready to every window full (" + window + " probes)",
                full ? secs(System.nanoTime() - t0) : -1, "s");
        settle(w);
        figure(tag, "quiet: models whose window was full when the quiet window began", fullWindows(registry, window),
                "models");
        ApiLedger.Counts start = w.ledger().snapshot();
        double probesBefore = probes(registry);
        long s0 = System.nanoTime();
        w.watch().modelFields().start();
        Thread.sleep(quiet.toMillis()); // a benchmark, not a test: it measures over wall time on purpose
        detail(tag, "quiet LocalModel status writes by field moved", w.watch().modelFields().stop());
        System.out.println("detail[" + tag + "] quiet p95 moves written, ms: " + w.watch().modelFields().latencyMoves());
        ApiLedger.Counts inQuiet = w.ledger().snapshot().minus(start);
        double minutes = (System.nanoTime() - s0) / 60e9;
        figure(tag, "quiet: probes per second", (probes(registry) - probesBefore) / (minutes * 60), "probes/s");
        figure(tag, "quiet: steady-state writes per model per minute, windows full and nothing changing",
                inQuiet.writes(OPERATOR_AGENT) / (double) n / minutes, "writes");
        detail(tag, "quiet writes", inQuiet.writesBy(OPERATOR_AGENT));
        detail(tag, "quiet Events by kind type/reason", inQuiet.eventsBy(OPERATOR_AGENT));
    }

    /**
     * Before the quiet window: the latencies a model published while the fleet came up were measured on a machine
     * busy bringing it up, and are written once more when a window of calm probes shows them settled (a real move,
     * held for a status period). Counted apart ({@code bench.settleSeconds}, default one window of fleet probes plus
     * two status periods; 0 skips it), so that the quiet window measures a fleet in which nothing changes.
     */
    private void settle(World w) throws InterruptedException {
        String tag = w.tag();
        Duration settle = Duration.ofSeconds(Integer.getInteger("bench.settleSeconds",
                (int) fleetInterval.multipliedBy(ProbeSettings.DEFAULT_WINDOW).plus(config.statusPeriod().multipliedBy(2))
                        .toSeconds()));
        if (settle.isZero()) {
            return;
        }
        ApiLedger.Counts start = w.ledger().snapshot();
        w.watch().modelFields().start();
        Thread.sleep(settle.toMillis()); // a benchmark, not a test: it measures over wall time on purpose
        detail(tag, "settling LocalModel status writes by field moved", w.watch().modelFields().stop());
        System.out.println("detail[" + tag + "] settling p95 moves written, ms: " + w.watch().modelFields().latencyMoves());
        ApiLedger.Counts settling = w.ledger().snapshot().minus(start);
        figure(tag, "quiet: settling after bring-up (" + settle.toSeconds() + " s), writes per model",
                settling.writes(OPERATOR_AGENT) / (double) w.n(), "writes");
        detail(tag, "settling Events by kind type/reason", settling.eventsBy(OPERATOR_AGENT));
    }

    /**
     * One scrape of the operator's real {@code /metrics} endpoint (OperatorHttpServer on the same registry as
     * {@code run} wires it): its time, its size, and the {@code localmodels_*} series that carry a LocalModel's
     * name, per model.
     */
    private void scrape(World w, PrometheusMeterRegistry registry) throws Exception {
        String tag = w.tag();
        try (OperatorHttpServer http = new OperatorHttpServer(0, registry, () -> true, List::of,
                refresh -> "", 10)) {
            var client = java.net.http.HttpClient.newHttpClient();
            var request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + http.port() + "/metrics")).build();
            client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()); // warm-up: JIT, connection
            long t0 = System.nanoTime();
            String body = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            long took = System.nanoTime() - t0;
            List<String> series = body.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            long perModel = series.stream().filter(l -> l.startsWith("localmodels_") && l.contains("name=\"lm-")).count();
            figure(tag, "/metrics: one scrape of the operator's endpoint", ms(took), "ms");
            figure(tag, "/metrics: size of one scrape", body.length() / 1024.0 / 1024.0, "MiB");
            figure(tag, "/metrics: series in all", series.size(), "series");
            figure(tag, "/metrics: localmodels_* series per model", perModel / (double) w.n(), "series");
            Map<String, Long> byName = new java.util.TreeMap<>();
            series.stream().filter(l -> l.startsWith("localmodels_") && l.contains("name=\"lm-0002\""))
                    .forEach(l -> byName.merge(l.substring(0, l.indexOf('{')), 1L, Long::sum));
            detail(tag, "/metrics series of lm-0002", byName);
        }
    }

    /**
     * What the benchmark created: the victim of the failover, the router that routes to it, and the backends whose
     * slot users hold in the busy phase (with the router each belongs to).
     */
    private record Fleet(String victim, String victimRouter, Duration victimInterval, Map<String, String> busy,
                         Map<String, String> routerOf) {
    }

    /**
     * N LocalModels, each on its own fake Ollama with the model already on disk, and the routers: LocalModel i
     * belongs to router {@code i % routers}, in groups of five backends per public model name. The busy ones are
     * one in ten, {@code i % 10 == (i / 10 + 1) % 10} (1, 12, 23, …, 89, 90, …): spread over the routers and the
     * pools, and never the victim {@code lm-0000}.
     */
    private Fleet createFleet(KubernetesClient bench, FleetOllama ollama, int n) {
        long t0 = System.nanoTime();
        Map<Integer, List<String>> byRouter = new HashMap<>();
        Map<String, String> busy = new java.util.TreeMap<>();
        Map<String, String> routerOf = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = String.format(Locale.ROOT, "lm-%04d", i);
            ollama.serve(name, MODEL, DIGEST);
            LocalModel lm = new LocalModel();
            lm.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
            LocalModelSpec spec = new LocalModelSpec();
            spec.setModel(MODEL);
            ProbeSpec probe = new ProbeSpec();
            probe.setInterval(i == 0 ? failoverInterval : probeInterval);
            probe.setTimeout(probeTimeout);
            probe.setBusyGrace(busyGrace);
            spec.setProbe(probe);
            lm.setSpec(spec);
            bench.resource(lm).create();
            byRouter.computeIfAbsent(i % routers, k -> new ArrayList<>()).add(name);
            routerOf.put(name, "router-" + (i % routers));
            if (i % 10 == (i / 10 + 1) % 10) {
                busy.put(name, "router-" + (i % routers));
            }
        }
        for (int r = 0; r < routers; r++) {
            List<String> members = byRouter.getOrDefault(r, List.of());
            List<RoutedModel> models = new ArrayList<>();
            for (int g = 0; g * GROUP_SIZE < members.size(); g++) {
                RoutedModel m = new RoutedModel();
                m.setName("pool-" + g);
                m.setBackends(members.subList(g * GROUP_SIZE, Math.min(members.size(), (g + 1) * GROUP_SIZE))
                        .stream().map(FleetBenchmark::backend).toList());
                models.add(m);
            }
            ModelRouter router = new ModelRouter();
            router.setMetadata(new ObjectMetaBuilder().withName("router-" + r).withNamespace(NS).build());
            ModelRouterSpec spec = new ModelRouterSpec();
            spec.setModels(models);
            spec.setHealthGating(true);
            router.setSpec(spec);
            bench.resource(router).create();
        }
        System.out.printf(Locale.ROOT, "info[N=%d]: created %d LocalModels and %d ModelRouters in %.1f s%n",
                n, n, routers, secs(System.nanoTime() - t0));
        return new Fleet("lm-0000", "router-0", Durations.parse(failoverInterval, null), busy, routerOf);
    }

    private static Backend backend(String localModel) {
        Backend b = new Backend();
        b.setLocalModel(localModel);
        return b;
    }

    /** The operator as {@code run} wires it, reaching each Ollama and each proxy pod's metrics through the fakes. */
    private LocalModelsOperator startOperator(World w, PrometheusMeterRegistry registry) {
        LocalModelsOperator operator = new LocalModelsOperator(w.operatorClient(), config,
                OperatorHarness.fakeAddressing(lm -> w.ollama().baseUrl(lm.getMetadata().getName())),
                w.proxies().addressing(), registry, Optional.empty());
        operator.start();
        return operator;
    }

    /**
     * A tenth of the fleet is busy: a long user request holds the only slot of each of those backends
     * ({@code OLLAMA_NUM_PARALLEL=1}) for the phase, so their probes wait in Ollama's queue and time out while the
     * server answers and lists the model: Busy, which must leave circuit, health and routing as they were. Once
     * every held backend shows Busy, one other backend really fails ({@link #failover}), which must still leave
     * its router within about 4 probe intervals. The ConfigMaps are watched, so a backend routed out for a moment
     * is seen too.
     */
    private void busyBackends(World w, MeterRegistry registry) throws InterruptedException {
        String tag = w.tag();
        Map<String, String> busy = w.fleet().busy();
        if (busy.isEmpty()) {
            failover(w);
            return;
        }
        KubernetesClient bench = w.bench();
        Map<String, String> urls = new HashMap<>();
        Map<String, String> configMaps = new HashMap<>();
        for (var e : busy.entrySet()) {
            urls.put(e.getKey(), w.watch().model(NS, e.getKey()).getStatus().getEndpoint());
            ModelRouter router = bench.resources(ModelRouter.class).inNamespace(NS).withName(e.getValue()).get();
            configMaps.put(e.getKey(), ProxyResources.configMapName(router));
        }
        waitUntil(() -> busy.keySet().stream().allMatch(b -> routes(bench, configMaps.get(b), urls.get(b))),
                Duration.ofMinutes(1), "every busy backend to be routed before the phase");
        java.util.Set<String> sawBusy = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Set<String> lostHealth = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Set<String> routedOut = java.util.concurrent.ConcurrentHashMap.newKeySet();
        w.watch().onModel(lm -> {
            String name = lm.getMetadata().getName();
            var health = lm.getStatus() == null ? null : lm.getStatus().getHealth();
            if (!busy.containsKey(name) || health == null) {
                return;
            }
            if ("Busy".equals(health.getLastResult())) {
                sawBusy.add(name);
            }
            if (!"Closed".equals(health.getCircuit()) || !FleetWatch.readyWithHealth(lm)) {
                lostHealth.add(name);
            }
        });
        var configWatch = bench.configMaps().inNamespace(NS).inform(new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap cm) {
                check(cm);
            }

            @Override
            public void onUpdate(ConfigMap old, ConfigMap cm) {
                check(cm);
            }

            @Override
            public void onDelete(ConfigMap cm, boolean unknown) {
            }

            private void check(ConfigMap cm) {
                String name = cm.getMetadata().getName();
                configMaps.forEach((backend, configMap) -> {
                    if (configMap.equals(name) && (cm.getData() == null
                            || cm.getData().values().stream().noneMatch(v -> v.contains(urls.get(backend))))) {
                        routedOut.add(backend);
                    }
                });
            }
        });
        double probes0 = probes(registry);
        long waited0 = w.ollama().waitedForSlot();
        long t0 = System.nanoTime();
        List<FleetOllama.UserRequest> users = busy.keySet().stream().map(w.ollama()::hold).toList();
        try {
            // the failure starts once every busy backend says Busy (a probe interval plus the timeout, at most)
            Duration toBusy = fleetInterval.plus(Durations.parse(probeTimeout, null)).plusSeconds(30);
            long deadline = t0 + toBusy.toNanos();
            while (sawBusy.size() < busy.size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            figure(tag, "busy: slots held by long user requests (one per busy backend)", busy.size(), "backends");
            figure(tag, "busy: user requests began to every busy backend showing lastResult Busy",
                    sawBusy.size() == busy.size() ? secs(System.nanoTime() - t0) : -1, "s");
            failover(w);
            long left = t0 + busyPhase.toNanos() - System.nanoTime();
            if (left > 0) {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left)); // the rest of the phase: wall time on purpose
            }
            double seconds = secs(System.nanoTime() - t0);
            figure(tag, "busy: phase length (user requests holding the slots)", seconds, "s");
            figure(tag, "busy: busy backends that showed lastResult Busy in status", sawBusy.size(), "backends");
            figure(tag, "busy: busy backends whose circuit left Closed or Healthy left True", lostHealth.size(), "backends");
            figure(tag, "busy: busy backends routed out of their router's ConfigMap (target 0)", routedOut.size(), "backends");
            figure(tag, "busy: probes per second during the phase (whole fleet)", (probes(registry) - probes0) / seconds,
                    "probes/s");
            figure(tag, "busy: chats that waited for a taken slot", w.ollama().waitedForSlot() - waited0, "chats");
            if (!lostHealth.isEmpty() || !routedOut.isEmpty()) {
                System.out.println("detail[" + tag + "] busy backends that lost health: " + new java.util.TreeSet<>(lostHealth)
                        + ", routed out: " + new java.util.TreeSet<>(routedOut));
            }
        } finally {
            users.forEach(FleetOllama.UserRequest::end);
        }
        long released = System.nanoTime();
        boolean recovered = waitFor(() -> busy.keySet().stream().allMatch(b -> {
            var health = w.watch().model(NS, b).getStatus().getHealth();
            return health != null && "Success".equals(health.getLastResult());
        }), fleetInterval.multipliedBy(3));
        figure(tag, "busy: user requests ended to every busy backend's lastResult Success again",
                recovered ? secs(System.nanoTime() - released) : -1, "s");
        w.watch().onModel(lm -> { });
        configWatch.close();
    }

    /** A backend's Ollama starts failing: how long until its router's config leaves it out. */
    private void failover(World w) throws InterruptedException {
        String tag = w.tag();
        KubernetesClient bench = w.bench();
        FleetWatch watch = w.watch();
        Fleet fleet = w.fleet();
        LocalModel victim = watch.model(NS, fleet.victim());
        String url = victim.getStatus().getEndpoint();
        ModelRouter router = bench.resources(ModelRouter.class).inNamespace(NS).withName(fleet.victimRouter()).get();
        String configMap = ProxyResources.configMapName(router);
        waitUntil(() -> routes(bench, configMap, url), Duration.ofMinutes(1), "the router to route to " + fleet.victim());
        long t0 = System.nanoTime();
        w.ollama().fail(fleet.victim());
        long[] open = {0};
        waitUntil(() -> {
            if (open[0] == 0) {
                LocalModel lm = watch.model(NS, fleet.victim());
                if (lm.getStatus().getHealth() != null && "Open".equals(lm.getStatus().getHealth().getCircuit())) {
                    open[0] = System.nanoTime();
                }
            }
            return !routes(bench, configMap, url);
        }, Duration.ofMinutes(10), "the router's config to leave " + fleet.victim() + " out");
        long t1 = System.nanoTime();
        double interval = fleet.victimInterval().toNanos();
        figure(tag, "failover: backend failing to circuit Open in status", open[0] == 0 ? -1 : (open[0] - t0) / interval,
                "probe intervals");
        figure(tag, "failover: backend failing to removal from the router's ConfigMap", (t1 - t0) / interval,
                "probe intervals");
        figure(tag, "failover: same, in seconds (probe interval " + Durations.format(fleet.victimInterval()) + ")",
                secs(t1 - t0), "s");
        // the rollout that followed settles (the fake deployment controller marks the new pods ready, the router
        // reports it) before anything else is measured
        waitUntil(() -> routerSettled(bench, fleet.victimRouter(), configMap), Duration.ofMinutes(2),
                "the router's status to show the rolled-out config");
    }

    static boolean routerSettled(KubernetesClient bench, String name, String configMap) {
        ModelRouter router = bench.resources(ModelRouter.class).inNamespace(NS).withName(name).get();
        ConfigMap cm = bench.configMaps().inNamespace(NS).withName(configMap).get();
        var deployment = bench.apps().deployments().inNamespace(NS).withName(name).get();
        if (router == null || router.getStatus() == null || cm == null || deployment == null
                || deployment.getStatus() == null || deployment.getStatus().getReadyReplicas() == null) {
            return false;
        }
        return java.util.Objects.equals(router.getStatus().getConfigHash(),
                cm.getMetadata().getAnnotations().get(ProxyResources.CONFIG_HASH_ANNOTATION))
                && java.util.Objects.equals(router.getStatus().getReadyReplicas(), deployment.getStatus().getReadyReplicas());
    }

    static boolean routes(KubernetesClient bench, String configMap, String url) {
        ConfigMap cm = bench.configMaps().inNamespace(NS).withName(configMap).get();
        return cm != null && cm.getData() != null && cm.getData().values().stream().anyMatch(v -> v.contains(url));
    }

    /**
     * Stops nothing and changes nothing: a second operator starts against the state the first one left and
     * reconciles every resource. Probe answers are held back meanwhile (the fake generates for 10 minutes), so the
     * count is what reconciling writes, not what fresh probe results write (steady state counts those); the probe
     * timeout is longer than the window, which the printed count of probes finished in it confirms. The held-back
     * generations keep their slots after the phase: nothing is measured after it.
     */
    private void resync(World w) throws InterruptedException {
        String tag = w.tag();
        int n = w.n();
        FleetOllama ollama = w.ollama();
        ApiLedger ledger = w.ledger();
        long latency = ollama.latency();
        ollama.latency(Duration.ofMinutes(10).toMillis());
        ApiLedger.Counts before = ledger.snapshot();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        long t0 = System.nanoTime();
        LocalModelsOperator second = startOperator(w, registry);
        try {
            waitUntil(() -> reconciles(registry) > 0, Duration.ofMinutes(2), "the first reconcile after the restart");
            figure(tag, "restarted operator: start-up to the first reconcile (warm JVM)", ms(System.nanoTime() - t0), "ms");
            waitUntil(() -> finishedReconciles(registry) >= n + routers, Duration.ofMinutes(10),
                    "a reconcile of every resource");
            figure(tag, "restarted operator: time to reconcile every resource", secs(System.nanoTime() - t0), "s");
            Thread.sleep(5_000); // writes caused by the resync's own writes, if any, land in this window
            ApiLedger.Counts resync = ledger.snapshot().minus(before);
            figure(tag, "writes on a full resync of an unchanged world", resync.writes(OPERATOR_AGENT), "writes");
            figure(tag, "probes finished inside the resync window (0: the writes are reconciling's alone)",
                    probes(registry), "probes");
            figure(tag, "reads on a full resync, per model", per(resync.reads(OPERATOR_AGENT), n), "requests");
            detail(tag, "resync writes", resync.writesBy(OPERATOR_AGENT));
            detail(tag, "resync Events by kind type/reason", resync.eventsBy(OPERATOR_AGENT));
            detail(tag, "resync reads", resync.readsBy(OPERATOR_AGENT));
        } finally {
            second.close();
            ollama.latency(latency);
        }
    }

    /**
     * CPU seconds by part of the process over a window ({@link CpuByPart}), the cores each kept busy, and the
     * operator's CPU per model; the busiest threads by name.
     */
    private static void cpuFigures(World w, String window, CpuByPart.Snapshot start, CpuByPart.Snapshot end) {
        String tag = w.tag();
        CpuByPart.Window cpu = CpuByPart.between(start, end);
        cpu.seconds().forEach((part, seconds) -> figure(tag, "CPU " + window + ": " + part, seconds, "s"));
        figure(tag, "CPU " + window + ": operator per model", cpu.of(CpuByPart.OPERATOR) * 1000 / w.n(), "ms");
        System.out.printf(Locale.ROOT, "detail[%s] CPU %s by part over %.1f s: %s; the sampler itself %.2f s%n", tag,
                window, cpu.wallSeconds(), cpu.describe(), cpu.samplerSeconds());
        System.out.println("detail[" + tag + "] CPU " + window + ", busiest threads (s): "
                + cpu.busiest(12));
    }

    // --- helpers ---

    /**
     * A client as {@code run} builds one, its threads named for {@link CpuByPart}: the HTTP and task threads by
     * the factory's and the supplier's class names, the JDK client's selector thread claimed by its name.
     */
    private static KubernetesClient client(Config base, String agent, io.fabric8.kubernetes.client.http.HttpClient.Factory http,
                                           KubernetesClientBuilder.ExecutorSupplier tasks, String part) {
        java.util.Set<String> selectors = CpuByPart.liveThreadNames("HttpClient-");
        // the operator's client as `run` builds it; the benchmark's own as the mock server's tests do
        var builder = OPERATOR_AGENT.equals(agent) ? CanonicalStrings.client() : new KubernetesClientBuilder();
        KubernetesClient client = builder.withConfig(new ConfigBuilder(base).withUserAgent(agent).build())
                .withHttpClientFactory(http).withTaskExecutorSupplier(tasks).build();
        CpuByPart.liveThreadNames("HttpClient-").stream().filter(name -> !selectors.contains(name))
                .forEach(name -> CpuByPart.claim(name, part));
        return client;
    }

    /**
     * The operator's own part of a model's bring-up: from its pod made (by the benchmark's StatefulSet controller) to
     * Ready with health in status; the time until all are Ready is also how fast the fake cluster makes pods.
     */
    private static void podToReady(World w) {
        Map<String, Long> made = w.kubelet().podsMade();
        double[] seconds = w.watch().firstReady().entrySet().stream().filter(e -> made.containsKey(e.getKey()))
                .mapToDouble(e -> (e.getValue() - made.get(e.getKey())) / 1e9).sorted().toArray();
        if (seconds.length == 0) {
            return;
        }
        figure(w.tag(), "pod made to Ready with health, per model: p50", seconds[(int) (seconds.length * 0.50)], "s");
        figure(w.tag(), "pod made to Ready with health, per model: p95", seconds[(int) (seconds.length * 0.95)], "s");
        figure(w.tag(), "pod made to Ready with health, per model: max", seconds[seconds.length - 1], "s");
        long[] first = made.values().stream().mapToLong(Long::longValue).sorted().toArray();
        figure(w.tag(), "pods made by the benchmark's StatefulSet controller, first to last",
                (first[first.length - 1] - first[0]) / 1e9, "s");
    }

    private static double reconciles(MeterRegistry registry) {
        return registry.find("operator.sdk.reconciliations.started").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double finishedReconciles(MeterRegistry registry) {
        return registry.find("operator.sdk.reconciliations.success").counters().stream().mapToDouble(Counter::count).sum()
                + failedReconciles(registry);
    }

    private static double failedReconciles(MeterRegistry registry) {
        return registry.find("operator.sdk.reconciliations.failed").counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Models with at least {@code window} probes counted in the operator's metrics: their window is full. */
    private static int fullWindows(MeterRegistry registry, int window) {
        Map<String, Double> byModel = new HashMap<>();
        registry.find("localmodels.probe").counters()
                .forEach(c -> byModel.merge(c.getId().getTag("name"), c.count(), Double::sum));
        return (int) byModel.values().stream().filter(count -> count >= window).count();
    }

    private static double probes(MeterRegistry registry) {
        return registry.find("localmodels.probe").counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Like {@link #waitUntil} but returns false instead of giving up. */
    static boolean waitFor(BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private static void waitUntil(BooleanSupplier done, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up after " + Durations.format(timeout) + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return -1;
    }

    static void figure(String tag, String name, double value, String unit) {
        String number = value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.2f", value);
        System.out.println("figure[" + tag + "] " + name + ": " + number + " " + unit);
    }

    private static void detail(String tag, String what, Map<String, Long> counts) {
        System.out.println("detail[" + tag + "] " + what + ": " + counts);
    }

    private static double per(long count, int n) {
        return count / (double) n;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
