package io.localmodels.operator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.api.HealthStatus;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.config.Durations;
import io.localmodels.operator.kube.Labels;
import io.localmodels.operator.model.ModelReadyGate;
import io.localmodels.operator.router.ProxyResources;
import io.localmodels.operator.testing.FakeLiteLlm;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Health from real traffic (issue 14): 80 % of the fleet's backends get successful users' requests through their
 * router's proxy, at least {@code circuitBreaker.minimumRequests} per status period, 20 % none. Measures the probes
 * that reach the fake Ollama per model per hour, for the fleet and for busy and silent backends apart, first with
 * no traffic at all (the figure before issue 14) and then with it; then a few busy backends break (their runner
 * crashes: users' requests and probes alike answer 500) and the time until each is out of its router's ConfigMap is
 * measured in status periods.
 *
 * <p>System properties: {@code bench.trafficOffSeconds} (the window without traffic, 120; 0 skips it),
 * {@code bench.trafficSeconds} (the window with 80 % busy, 300), {@code bench.trafficPerPeriod} (users' requests
 * per busy backend per status period, 20), {@code bench.trafficVictims} (busy backends that break, 3, each in its
 * own router).
 */
final class TrafficPhase {

    /** What LiteLLM 1.80 counts for an Ollama runner's HTTP 500 (exception_status, exception_class). */
    private static final String STATUS_500 = "500";
    private static final String INTERNAL_SERVER_ERROR = "Ollama_chat.InternalServerError";
    private static final Duration USER_LATENCY = Duration.ofMillis(400);

    private final String tag;
    private final KubernetesClient bench;
    private final FleetOllama ollama;
    private final FleetProxies proxies;
    private final FleetWatch watch;
    private final MeterRegistry registry;
    private final Duration statusPeriod;
    private final Duration probeInterval;
    private final Duration offWindow = Duration.ofSeconds(Integer.getInteger("bench.trafficOffSeconds", 120));
    private final Duration onWindow = Duration.ofSeconds(Integer.getInteger("bench.trafficSeconds", 300));
    private final int perPeriod = Integer.getInteger("bench.trafficPerPeriod", 20);
    private final int victimCount = Integer.getInteger("bench.trafficVictims", 3);
    /** Backend → its router, busy and silent apart; the failover victim of the probe phase is in neither. */
    private final Map<String, String> busy = new LinkedHashMap<>();
    private final Map<String, String> silent = new LinkedHashMap<>();
    /** Busy backends whose runner has crashed (their users' requests fail). */
    private final Set<String> broken = ConcurrentHashMap.newKeySet();

    /**
     * @param routerOf every LocalModel of the fleet and its router, in creation order; member {@code k} of a router
     *                 (its k-th backend) is silent when {@code k % 5 == 0}, one in each pool of five
     * @param excluded left out of every figure (the earlier failover's victim: its own interval, and failing)
     */
    TrafficPhase(String tag, KubernetesClient bench, FleetOllama ollama, FleetProxies proxies, FleetWatch watch,
                 MeterRegistry registry, Duration statusPeriod, Duration probeInterval, Map<String, String> routerOf,
                 String excluded) {
        this.tag = tag;
        this.bench = bench;
        this.ollama = ollama;
        this.proxies = proxies;
        this.watch = watch;
        this.registry = registry;
        this.statusPeriod = statusPeriod;
        this.probeInterval = probeInterval;
        Map<String, Integer> members = new HashMap<>();
        routerOf.forEach((backend, router) -> {
            int k = members.merge(router, 1, Integer::sum) - 1;
            if (!backend.equals(excluded)) {
                (k % 5 == 0 ? silent : busy).put(backend, router);
            }
        });
    }

    void run() throws InterruptedException {
        if (!offWindow.isZero()) {
            window("traffic off", offWindow);
        }
        Set<String> routers = new java.util.TreeSet<>(busy.values());
        routers.forEach(router -> proxies.users(router, fake -> usersOf(router, fake)));
        Thread.sleep(statusPeriod.multipliedBy(2).toMillis()); // the first readings arrive: not in the window
        figure("backends with users' requests that their proxy's config routes (of " + busy.size() + " busy)",
                routedBusy(), "backends");
        double skips = skipped();
        window("80 % busy", onWindow);
        figure("80 % busy: busy backends whose status says decidedBy traffic",
                count(busy.keySet(), h -> "traffic".equals(h.getDecidedBy())), "backends");
        figure("80 % busy: silent backends whose status says decidedBy probe",
                count(silent.keySet(), h -> "probe".equals(h.getDecidedBy())), "backends");
        figure("80 % busy: probes the operator skipped (localmodels_probe_skipped, whole phase)", skipped() - skips,
                "probes");
        failover();
        routers.forEach(router -> proxies.users(router, fake -> { }));
    }

    /** Probes reaching each model's Ollama over {@code length}, per model per hour: fleet, busy and silent. */
    private void window(String name, Duration length) throws InterruptedException {
        Map<String, Long> before = probes();
        long t0 = System.nanoTime();
        Thread.sleep(length.toMillis()); // a benchmark, not a test: it measures over wall time on purpose
        double hours = (System.nanoTime() - t0) / 3600e9;
        Map<String, Long> after = probes();
        figure(name + ": window", hours * 3600, "s");
        figure(name + ": probes per model per hour, fleet (" + (busy.size() + silent.size()) + " models)",
                perHour(before, after, hours, b -> true), "probes");
        figure(name + ": probes per model per hour, busy backends (" + busy.size() + ")",
                perHour(before, after, hours, busy::containsKey), "probes");
        figure(name + ": probes per model per hour, silent backends (" + silent.size() + ")",
                perHour(before, after, hours, silent::containsKey), "probes");
        figure(name + ": one probe per interval would be", 3600.0 / probeInterval.toSeconds(), "probes");
    }

    private double perHour(Map<String, Long> before, Map<String, Long> after, double hours, Predicate<String> which) {
        long sum = 0;
        int models = 0;
        for (String m : after.keySet()) {
            if (which.test(m)) {
                sum += after.get(m) - before.get(m);
                models++;
            }
        }
        return models == 0 ? 0 : sum / (double) models / hours;
    }

    private Map<String, Long> probes() {
        Map<String, Long> out = new HashMap<>();
        busy.keySet().forEach(m -> out.put(m, ollama.probes(m)));
        silent.keySet().forEach(m -> out.put(m, ollama.probes(m)));
        return out;
    }

    /**
     * One status period of a router's users, on one of its proxy processes: {@code perPeriod} requests to each busy
     * backend its config routes, successful, or failed with the runner's 500 once it broke.
     */
    private void usersOf(String router, FakeLiteLlm fake) {
        busy.forEach((backend, r) -> {
            String id = FleetBenchmark.NS + "/" + backend;
            if (r.equals(router) && fake.routes(id)) {
                if (broken.contains(backend)) {
                    fake.fail(id, perPeriod, STATUS_500, INTERNAL_SERVER_ERROR);
                } else {
                    fake.succeed(id, perPeriod, USER_LATENCY);
                }
            }
        });
    }

    private int routedBusy() {
        Map<String, String> configs = new HashMap<>();
        int n = 0;
        for (Map.Entry<String, String> e : busy.entrySet()) {
            String config = configs.computeIfAbsent(e.getValue(), this::config);
            LocalModel lm = watch.model(FleetBenchmark.NS, e.getKey());
            if (lm != null && lm.getStatus() != null && lm.getStatus().getEndpoint() != null
                    && config.contains(lm.getStatus().getEndpoint())) {
                n++;
            }
        }
        return n;
    }

    /** The router's rendered config (all of its ConfigMap's data), empty when there is none. */
    private String config(String router) {
        ModelRouter r = bench.resources(ModelRouter.class).inNamespace(FleetBenchmark.NS).withName(router).get();
        var cm = r == null ? null : bench.configMaps().inNamespace(FleetBenchmark.NS)
                .withName(ProxyResources.configMapName(r)).get();
        return cm == null || cm.getData() == null ? "" : String.join("\n", cm.getData().values());
    }

    /**
     * The first busy backend of each of {@code victimCount} routers breaks: its Ollama answers every chat 500 (a
     * crashed runner fails users' requests and probes alike) and its users' requests through the proxy fail so.
     * Measured per victim: circuit Open in status and removal from its router's ConfigMap, in status periods.
     */
    private void failover() throws InterruptedException {
        Map<String, String> victims = new LinkedHashMap<>();
        busy.forEach((backend, router) -> {
            if (victims.size() < victimCount && !victims.containsValue(router) && routes(router, backend)) {
                victims.put(backend, router);
            }
        });
        Map<String, Long> probesBefore = new HashMap<>();
        victims.keySet().forEach(v -> probesBefore.put(v, ollama.probes(v)));
        Map<String, Long> open = new HashMap<>();
        Map<String, Long> out = new HashMap<>();
        Map<String, String> openedBy = new HashMap<>();
        long t0 = System.nanoTime();
        victims.keySet().forEach(v -> {
            ollama.fail(v);
            broken.add(v);
        });
        long deadline = t0 + statusPeriod.multipliedBy(20).plus(probeInterval.multipliedBy(10)).toNanos();
        while (out.size() < victims.size() && System.nanoTime() < deadline) {
            for (Map.Entry<String, String> e : victims.entrySet()) {
                String v = e.getKey();
                HealthStatus h = health(v);
                if (!open.containsKey(v) && h != null && "Open".equals(h.getCircuit())) {
                    open.put(v, System.nanoTime());
                    openedBy.put(v, h.getDecidedBy());
                }
                if (!out.containsKey(v) && !routes(e.getValue(), v)) {
                    out.put(v, System.nanoTime());
                }
            }
            Thread.sleep(100);
        }
        double period = statusPeriod.toNanos();
        List<Double> toOut = new ArrayList<>();
        for (String v : victims.keySet()) {
            figure("traffic failover " + v + ": breaking to circuit Open in status (decidedBy " + openedBy.get(v) + ")",
                    open.containsKey(v) ? (open.get(v) - t0) / period : -1, "status periods");
            double periods = out.containsKey(v) ? (out.get(v) - t0) / period : -1;
            toOut.add(periods);
            figure("traffic failover " + v + ": breaking to removal from its router's ConfigMap", periods, "status periods");
            figure("traffic failover " + v + ": probes it got meanwhile", ollama.probes(v) - probesBefore.get(v), "probes");
        }
        double worst = toOut.stream().mapToDouble(Double::doubleValue).map(p -> p < 0 ? Double.POSITIVE_INFINITY : p)
                .max().orElse(-1);
        figure("traffic failover: slowest victim to removal (status period " + Durations.format(statusPeriod) + ")",
                Double.isInfinite(worst) ? -1 : worst, "status periods");
        figure("traffic failover: same, in seconds", Double.isInfinite(worst) ? -1 : worst * period / 1e9, "s");
        // what follows the victims' transitions (pod gates closed, routers rolled out and reporting it) lands before
        // anything else is measured: the resync after this phase must find an unchanged world
        boolean settled = FleetBenchmark.waitFor(() -> victims.entrySet().stream().allMatch(e -> gateClosed(e.getKey())
                && FleetBenchmark.routerSettled(bench, e.getValue(), ProxyResources.configMapName(
                bench.resources(ModelRouter.class).inNamespace(FleetBenchmark.NS).withName(e.getValue()).get()))),
                statusPeriod.multipliedBy(4));
        if (!settled) {
            System.out.println("info[" + tag + "]: the victims' pod gates or routers had not settled after 4 status periods");
        }
    }

    /** Whether the victim's pod says the model is not ready ({@code localmodels.io/model-ready} False). */
    private boolean gateClosed(String backend) {
        return bench.pods().inNamespace(FleetBenchmark.NS).withLabel(Labels.LOCAL_MODEL, backend).list().getItems()
                .stream().allMatch(pod -> pod.getStatus().getConditions().stream().anyMatch(c ->
                        ModelReadyGate.CONDITION.equals(c.getType()) && "False".equals(c.getStatus())));
    }

    private HealthStatus health(String backend) {
        LocalModel lm = watch.model(FleetBenchmark.NS, backend);
        return lm == null || lm.getStatus() == null ? null : lm.getStatus().getHealth();
    }

    private int count(Set<String> backends, Predicate<HealthStatus> test) {
        return (int) backends.stream().map(this::health).filter(h -> h != null && test.test(h)).count();
    }

    private boolean routes(String router, String backend) {
        ModelRouter r = bench.resources(ModelRouter.class).inNamespace(FleetBenchmark.NS).withName(router).get();
        LocalModel lm = watch.model(FleetBenchmark.NS, backend);
        return r != null && lm != null && lm.getStatus() != null && lm.getStatus().getEndpoint() != null
                && FleetBenchmark.routes(bench, ProxyResources.configMapName(r), lm.getStatus().getEndpoint());
    }

    /** The operator's own count of scheduled probes it did not send because traffic stood in. */
    private double skipped() {
        return registry.find("localmodels.probe.skipped").counters().stream().mapToDouble(Counter::count).sum();
    }

    private void figure(String name, double value, String unit) {
        FleetBenchmark.figure(tag, name, value, unit);
    }
}
