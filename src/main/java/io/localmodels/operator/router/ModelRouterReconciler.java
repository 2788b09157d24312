package io.localmodels.operator.router;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.localmodels.operator.api.CallbackSpec;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.ModelRouterSpec;
import io.localmodels.operator.api.ModelRouterStatus;
import io.localmodels.operator.config.Durations;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.config.ReconcileRetry;
import io.localmodels.operator.kube.Labels;
import io.localmodels.operator.kube.Sha256;
import io.localmodels.operator.status.Conditions;
import io.localmodels.operator.kube.AppliedObjects;
import io.localmodels.operator.kube.DesiredObjectWriter;
import io.localmodels.operator.kube.LegacyFinalizer;
import io.localmodels.operator.kube.PrunedItemStore;
import io.localmodels.operator.kube.ReconcileTrigger;
import io.micrometer.core.instrument.Tags;
import io.localmodels.operator.status.EventRecorder;
import io.localmodels.operator.status.StatusWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Keeps each ModelRouter's LiteLLM proxy (ConfigMap, Deployment, Service) in line with its spec and the health of the
 * LocalModels it names. Observe → render (pure) → write what differs → status. An invalid spec never replaces the
 * last good config; config rollouts are damped to one per {@link OperatorConfig#routerRolloutInterval()}.
 * JOSDK calls {@link #reconcile} for one router at a time; different routers run in parallel. No finalizer: owner
 * references delete the proxy; the informer's delete event ({@code triggerReconcilerOnAllEvents}) drops the
 * router's gauge and remembered status.
 */
@ControllerConfiguration(name = ModelRouterReconciler.NAME, triggerReconcilerOnAllEvents = true)
@GradualRetry(maxAttempts = ReconcileRetry.MAX_ATTEMPTS, maxInterval = ReconcileRetry.MAX_INTERVAL_MS)
public class ModelRouterReconciler implements Reconciler<ModelRouter> {

    public static final String NAME = "modelrouter";
    private final RouterMetrics metrics;
    /** Secrets are read, not watched (no cache of Secret values in the operator): an invalid router re-checks. */
    static final Duration INVALID_RECHECK = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(ModelRouterReconciler.class);

    private final OperatorConfig config;
    private final RolloutDamper damper;
    private final RouterRenders renders = new RouterRenders();
    private final AppliedObjects proxies = new AppliedObjects();
    private final ModelRouterStatusFactory statuses;
    private final StatusWriter<ModelRouter, ModelRouterStatus> statusWriter;
    private final RouterTraffic traffic;
    private final ReconcileTrigger<ModelRouter> trafficTrigger;
    private volatile InformerEventSource<LocalModel, ModelRouter> localModels;
    private volatile IndexerResourceCache<ModelRouter> routers;
    private volatile InformerEventSource<ConfigMap, ModelRouter> configMaps;
    private volatile InformerEventSource<Deployment, ModelRouter> deployments;
    private volatile InformerEventSource<Service, ModelRouter> services;

    public ModelRouterReconciler(OperatorConfig config, RouterMetrics metrics) {
        this(config, metrics, RouterTraffic.NONE, new ReconcileTrigger<>("router-traffic"));
    }

    /**
     * @param traffic        each backend's traffic through each router, shown in {@code status.models[].traffic}
     * @param trafficTrigger brings a router back when its backends' traffic figures changed
     */
    public ModelRouterReconciler(OperatorConfig config, RouterMetrics metrics, RouterTraffic traffic,
                                 ReconcileTrigger<ModelRouter> trafficTrigger) {
        this.config = config;
        this.traffic = traffic;
        this.trafficTrigger = trafficTrigger;
        this.metrics = metrics;
        this.damper = new RolloutDamper(config.routerRolloutInterval(), config.clock());
        this.statuses = new ModelRouterStatusFactory(config.clock());
        this.statusWriter = new StatusWriter<>(config.clock(), ModelRouterStatusFactory.pacing(config.statusPeriod()));
    }

    @Override
    public List<EventSource<?, ModelRouter>> prepareEventSources(EventSourceContext<ModelRouter> context) {
        var routers = context.getPrimaryCache();
        this.routers = routers;
        routers.addIndexer(LocalModelReferences.INDEX, LocalModelReferences::indexKeys);
        localModels = new InformerEventSource<>(InformerEventSourceConfiguration.from(LocalModel.class, ModelRouter.class)
                .withName("router-localmodels")
                .withSecondaryToPrimaryMapper(lm -> routers.byIndex(LocalModelReferences.INDEX,
                                LocalModelReferences.indexKey(lm)).stream()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withOnUpdateFilter((after, before) -> LocalModelReferences.routingChanged(before, after))
                // the LocalModels of this operator's shard only: a router's backends are in its shard
                .withLabelSelector(config.shard().resourceSelector().orElse(null))
                // a second copy of every LocalModel (the controller's cache has the first): keep what routing reads
                .withItemStore(PrunedItemStore.of(RoutingCopy::prune))
                .build(), context);
        configMaps = owned(ConfigMap.class, "router-configmaps", context);
        deployments = owned(Deployment.class, "router-deployments", context);
        services = owned(Service.class, "router-services", context);
        return List.of(localModels, configMaps, deployments, services, trafficTrigger);
    }

    private <R extends HasMetadata> InformerEventSource<R, ModelRouter> owned(Class<R> type, String name,
                                                                            EventSourceContext<ModelRouter> context) {
        // owner references map them back to their router (the default mapper); the selector keeps the cache small
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, ModelRouter.class)
                .withName(name)
                .withLabelSelector(config.shard().ownObjects(Labels.managed(Labels.ROUTER_COMPONENT)))
                .build(), context);
    }

    @Override
    public UpdateControl<ModelRouter> reconcile(ModelRouter router, Context<ModelRouter> context) {
        KubernetesClient client = context.getClient();
        ResourceID id = ResourceID.fromResource(router);
        if (context.isPrimaryResourceDeleted()) {
            forget(router);
            return UpdateControl.noUpdate();
        }
        LegacyFinalizer.release(client, router);
        if (router.isMarkedForDeletion()) {
            forget(router);
            return UpdateControl.noUpdate();
        }
        String ns = router.getMetadata().getNamespace();
        String name = router.getMetadata().getName();

        Map<String, LocalModel> named = namedLocalModels(router);
        OutOfShard outOfShard = LocalModelReferences.outsideShard(router, named.keySet(), config.shard(),
                // read as a generic object: only its labels matter, and a spec this version cannot read must not fail it
                lm -> client.genericKubernetesResources(HasMetadata.getApiVersion(LocalModel.class),
                        HasMetadata.getKind(LocalModel.class)).inNamespace(ns).withName(lm).get());
        LiteLlmConfig rendered = renders.render(router, named, secrets(client, ns, router.getSpec()), outOfShard);
        ConfigMap configMap = configMaps.get(new ResourceID(ProxyResources.configMapName(router), ns)).orElse(null);
        Deployment deployment = deployments.get(new ResourceID(name, ns)).orElse(null);
        String applied = appliedHash(configMap);
        Instant deferredUntil = null;
        EventRecorder events = new EventRecorder(client, config.clock());

        if (rendered.valid()) {
            try {
                DesiredObjectWriter applier = new DesiredObjectWriter(client);
                boolean applyConfig = false;
                if (!rendered.hash().equals(applied)) {
                    // damping holds back rollouts that add or change backends; taking a failing one out is not held
                    Optional<Instant> wait = applied == null ? Optional.empty() : damper.deferredUntil(id);
                    if (wait.isPresent() && onlyRemovesBackends(id, applied, configMap, rendered)) {
                        wait = Optional.empty();
                    }
                    if (wait.isPresent()) {
                        deferredUntil = wait.get();
                        LOG.debug("router {}/{}: config {} waits until {}", ns, name,
                                ModelRouterStatusFactory.shortHash(rendered.hash()), deferredUntil);
                    } else {
                        applyConfig = true;
                    }
                }
                String running = applyConfig ? rendered.hash() : applied;
                Service service = services.get(new ResourceID(name, ns)).orElse(null);
                // the Deployment and Service are built and hashed only when they can have to change
                if (applyConfig || !proxies.current(id, router, running, deployment, service)) {
                    ProxyResources.Desired desired = ProxyResources.desired(router, rendered, config, running);
                    if (applyConfig) {
                        applier.apply(configMaps, id, desired.configMap(), configMap);
                        damper.rolledOut(id);
                        String message = "LiteLLM config " + ModelRouterStatusFactory.shortHash(applied) + " → "
                                + ModelRouterStatusFactory.shortHash(rendered.hash()) + ": " + summary(rendered);
                        LOG.info("router {}/{}: {}", ns, name, message);
                        events.normal(router, "ConfigApplied", message);
                        applied = rendered.hash();
                    }
                    deployment = applier.apply(deployments, id, desired.deployment(), deployment);
                    service = applier.apply(services, id, desired.service(), service);
                    proxies.applied(id, router, running, deployment, service);
                }
            } catch (DesiredObjectWriter.NameTakenException e) {
                // another owner's object has the name: leave it alone and say so
                LOG.warn("router {}/{}: {}", ns, name, e.getMessage());
                events.warning(router, "NameTaken", e.getMessage());
            }
        }

        ModelRouterStatus status = statuses.build(router, rendered, applied, deferredUntil, deployment);
        // backend details: the factory's pacing holds them to one write per status period
        status.setModels(BackendTrafficList.attach(router, status.getModels(),
                traffic.backends(id, BackendTrafficList.shown(router.getStatus()))));
        metrics.set(router, rendered);
        if (!rendered.valid()) {
            reportInvalid(router, status, events);
        }
        // a whole-status PUT under the resource version seen: a JSON patch diffed against a stale cache would be
        // applied by array index to newer state (rejected, or worse, applied to the wrong element)
        var written = statusWriter.write(client, router, status, events, (e, r, before, after) -> { });
        Optional<Duration> next = written.comeBackIn();
        if (deferredUntil != null) {
            next = Durations.sooner(next, damper.until(deferredUntil));
        } else if (!rendered.valid()) {
            next = Durations.sooner(next, INVALID_RECHECK);
        }
        UpdateControl<ModelRouter> control = UpdateControl.noUpdate();
        next.ifPresent(d -> control.rescheduleAfter(Math.max(d.toMillis(), 1)));
        return control;
    }

    /** Drops a deleted router's gauge, damper entry and remembered status; its objects go by owner reference. */
    private void forget(ModelRouter router) {
        metrics.remove(router);
        damper.forget(ResourceID.fromResource(router));
        renders.forget(ResourceID.fromResource(router));
        proxies.forget(ResourceID.fromResource(router));
        statusWriter.forget(router);
    }

    /** Every ModelRouter in the controller's cache (the fleet page); empty before the operator started. */
    public List<ModelRouter> cachedRouters() {
        var cache = routers;
        return cache == null ? List.of() : cache.list().toList();
    }

    /** The LocalModels the router names that exist, from the informer cache. */
    private Map<String, LocalModel> namedLocalModels(ModelRouter router) {
        Map<String, LocalModel> out = new HashMap<>();
        for (String lm : LocalModelReferences.names(router)) {
            localModels.get(new ResourceID(lm, router.getMetadata().getNamespace())).ifPresent(m -> out.put(lm, m));
        }
        return out;
    }

    /** Reads only the Secrets the spec names and keeps only their key names. */
    private static SecretCatalog secrets(KubernetesClient client, String ns, ModelRouterSpec spec) {
        Set<String> names = new TreeSet<>();
        if (spec != null) {
            if (spec.getMasterKeySecretRef() != null) {
                names.add(spec.getMasterKeySecretRef().getName());
            }
            if (spec.getCallbacks() != null) {
                spec.getCallbacks().stream().filter(Objects::nonNull).map(CallbackSpec::getSecretRef).forEach(names::add);
            }
        }
        names.removeIf(n -> n == null || n.isBlank());
        List<Secret> found = new ArrayList<>();
        for (String n : names) {
            Secret s = client.secrets().inNamespace(ns).withName(n).get();
            if (s != null) {
                found.add(s);
            }
        }
        return SecretCatalog.of(found);
    }

    private boolean onlyRemovesBackends(ResourceID id, String appliedHash, ConfigMap live, LiteLlmConfig next) {
        String text = live == null || live.getData() == null ? null : live.getData().get(LiteLlmConfig.FILE_NAME);
        return text != null && renders.onlyRemovesBackends(id, appliedHash, text, next);
    }

    private static String appliedHash(ConfigMap cm) {
        if (cm == null) {
            return null;
        }
        if (cm.getMetadata().getAnnotations() != null
                && cm.getMetadata().getAnnotations().get(ProxyResources.CONFIG_HASH_ANNOTATION) != null) {
            return cm.getMetadata().getAnnotations().get(ProxyResources.CONFIG_HASH_ANNOTATION);
        }
        String text = cm.getData() == null ? null : cm.getData().get(LiteLlmConfig.FILE_NAME);
        return text == null ? null : Sha256.hex(text);
    }

    /** One Warning event per new set of problems, not one per reconcile. */
    private static void reportInvalid(ModelRouter router, ModelRouterStatus status, EventRecorder events) {
        var before = Conditions.find(router.getStatus() == null ? null : router.getStatus().getConditions(),
                ModelRouterStatusFactory.CONFIG_VALID);
        var now = Conditions.find(status.getConditions(), ModelRouterStatusFactory.CONFIG_VALID).orElseThrow();
        if (before.isEmpty() || !Objects.equals(before.get().getMessage(), now.getMessage())) {
            LOG.warn("router {}/{} is invalid: {}", router.getMetadata().getNamespace(),
                    router.getMetadata().getName(), now.getMessage());
            events.warning(router, "InvalidSpec", now.getMessage());
        }
    }

    private static String summary(LiteLlmConfig rendered) {
        return rendered.models().stream().map(m -> {
            String s = m.getName() + " " + m.getHealthyBackends() + "/" + m.getBackends() + " healthy";
            if (m.getExcluded() != null && !m.getExcluded().isEmpty()) {
                s += " (left out: " + m.getExcluded().stream().map(e -> e.getLocalModel() + " " + e.getReason())
                        .collect(Collectors.joining(", ")) + ")";
            }
            return s;
        }).collect(Collectors.joining("; "));
    }
}
