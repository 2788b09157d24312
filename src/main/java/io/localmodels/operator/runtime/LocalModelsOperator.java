package io.localmodels.operator.runtime;

import io.localmodels.operator.kube.ReconcileTrigger;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.TolerantReader;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.fleet.FleetSnapshot;
import io.localmodels.operator.health.HealthMonitor;
import io.localmodels.operator.model.LocalModelReconciler;
import io.localmodels.operator.model.ModelInspector;
import io.localmodels.operator.model.OllamaAddressing;
import io.localmodels.operator.ops.ResourceGauge;
import io.localmodels.operator.ollama.OllamaClient;
import io.localmodels.operator.pull.ModelPuller;
import io.localmodels.operator.router.ModelRouterReconciler;
import io.localmodels.operator.traffic.ProxyAddressing;
import io.localmodels.operator.traffic.TrafficMonitor;
import io.localmodels.operator.router.RouterMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.localmodels.operator.kube.PrunedItemStore;
import okhttp3.OkHttpClient;

import java.util.function.UnaryOperator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Wires the operator: the JOSDK {@link Operator} with both reconcilers, the puller, the health monitor and metrics.
 * The command line and the tests build it the same way; only the client, addressing and leader election differ.
 */
public final class LocalModelsOperator implements AutoCloseable {

    private final Operator operator;
    private final HealthMonitor health;
    private final ModelPuller puller;
    private final ModelInspector inspector;
    private final OkHttpClient http;
    private final KubernetesClient client;
    private final Optional<LeaderElectionConfiguration> leaderElection;
    private final TrafficMonitor traffic;
    private final ModelRouterReconciler routers;
    private final LocalModelReconciler models;

    public LocalModelsOperator(KubernetesClient client, OperatorConfig config, OllamaAddressing addressing,
                               MeterRegistry registry, Optional<LeaderElectionConfiguration> leaderElection) {
        this(client, config, addressing, ProxyAddressing.inCluster(), registry, leaderElection);
    }

    /** The same, reading the ModelRouter proxies' metrics where {@code proxies} says (tests: a fake LiteLLM). */
    public LocalModelsOperator(KubernetesClient client, OperatorConfig config, OllamaAddressing addressing,
                               ProxyAddressing proxies, MeterRegistry registry,
                               Optional<LeaderElectionConfiguration> leaderElection) {
        this.client = client;
        this.leaderElection = leaderElection;
        this.http = OllamaClient.newHttpClient(Math.max(config.probeConcurrency(), 8) + 16);
        ReconcileTrigger<LocalModel> modelTrigger = new ReconcileTrigger<>("model-trigger");
        this.puller = new ModelPuller(http, config, modelTrigger::trigger);
        this.health = new HealthMonitor(config, http, registry, modelTrigger::trigger);
        this.inspector = new ModelInspector(http, config.clock(), modelTrigger::trigger);
        // the users' requests through the routers stand in for probes of busy models
        ReconcileTrigger<ModelRouter> routerTrigger = new ReconcileTrigger<>("router-trigger");
        // new figures: the LocalModel's status shows them, and a failing reading counts in its circuit at once
        this.traffic = new TrafficMonitor(client, config, http, proxies, health::tracking, id -> {
            health.trafficArrived(id);
            modelTrigger.trigger(id);
        }, routerTrigger::trigger);
        health.setTrafficSource(traffic.source());
        // per-controller, not per-resource: a series per LocalModel would multiply /metrics by the fleet size
        this.operator = josdk(client, MicrometerMetrics.withoutPerResourceMetrics(registry), leaderElection);
        var reconciler = this.models = new LocalModelReconciler(config, puller, health, addressing, modelTrigger,
                new ResourceGauge(registry, "localmodels.pull.progress.percent",
                        "Percent of the model's bytes downloaded by the current pull"), inspector);
        operator.register(reconciler, o -> scope(o, config));
        this.routers = new ModelRouterReconciler(config, new RouterMetrics(registry), traffic.routerSource(),
                routerTrigger);
        operator.register(routers, o -> scope(o, config));
    }

    /**
     * The namespaces and the shard's label selector both controllers watch, and their caches: without the API
     * server's {@code managedFields}, which a real server puts on every object (the mock server does not) and the
     * operator never reads: on a LocalModel whose status we keep writing they are a list of every status field.
     */
    private static <R extends HasMetadata> void scope(ControllerConfigurationOverrider<R> o, OperatorConfig config) {
        if (!config.namespaces().isEmpty()) {
            o.settingNamespaces(config.namespaces());
        }
        config.shard().resourceSelector().ifPresent(o::withLabelSelector);
        o.withItemStore(PrunedItemStore.of(UnaryOperator.identity()));
    }

    /** The JOSDK operator with the settings the shipped operator runs with; tests that register one reconciler use it. */
    public static Operator josdk(KubernetesClient client, Metrics metrics,
                                 Optional<LeaderElectionConfiguration> leaderElection) {
        return new Operator(o -> {
            o.withKubernetesClient(client)
                    // the mock API server has no server-side apply; the shipped operator runs the same code path
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withCloseClientOnStop(false)
                    // keeps why a stored spec could not be read, so the reconcile can put it in a condition
                    .withResourceCloner(TolerantReader.cloner(client.getKubernetesSerialization()))
                    .withMetrics(metrics);
            leaderElection.ifPresent(o::withLeaderElectionConfiguration);
        });
    }

    public void start() {
        operator.start();
        traffic.start();
    }

    public HealthMonitor health() {
        return health;
    }

    /** The fleet as the operator's caches and health monitor hold it now, for the fleet page; makes no API call. */
    public FleetSnapshot fleet() {
        return FleetSnapshot.of(models.cachedLocalModels(), routers.cachedRouters(), health.debugView());
    }

    /** The LocalModels and ModelRouters the controllers' caches hold now, as they hold them (no copy). */
    public List<HasMetadata> cached() {
        List<HasMetadata> all = new ArrayList<>(models.cachedLocalModels());
        all.addAll(routers.cachedRouters());
        return all;
    }

    public Operator operator() {
        return operator;
    }

    @Override
    public void close() {
        operator.stop();
        leaderElection.ifPresent(election -> LeaseHandover.release(client, election));
        traffic.close();
        health.close();
        puller.close();
        inspector.close();
        models.close();
        // a call still running holds its callback, and through it the monitor with every model's state, and its
        // thread sits on the socket until the call's timeout (a probe's minutes, a load's longer): no new calls,
        // then cut the running ones (shutdownNow's interrupt does not reach a blocked socket read)
        http.dispatcher().executorService().shutdownNow();
        http.dispatcher().cancelAll();
        http.connectionPool().evictAll();
    }
}
