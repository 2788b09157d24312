package io.localmodels.operator.model;

import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.kube.Labels;
import io.localmodels.operator.kube.PrunedItemStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelStatus;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.api.ReplicaHealth;
import io.localmodels.operator.config.Durations;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.config.ReconcileRetry;
import io.localmodels.operator.health.HealthMonitor;
import io.localmodels.operator.health.ProbeTarget;
import io.localmodels.operator.health.PublishedHealth;
import io.localmodels.operator.pull.ModelPuller;
import io.localmodels.operator.pull.PullState;
import io.localmodels.operator.ops.ResourceGauge;
import io.localmodels.operator.kube.AppliedObjects;
import io.localmodels.operator.kube.DesiredObjectWriter;
import io.localmodels.operator.kube.LegacyFinalizer;
import io.localmodels.operator.kube.ReconcileTrigger;
import io.localmodels.operator.status.Conditions;
import io.localmodels.operator.status.EventRecorder;
import io.localmodels.operator.status.LogContext;
import io.localmodels.operator.status.StatusWriter;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Reconciles a LocalModel: validate → observe (read the cache only) → apply (the workload, pulls, health tracking,
 * the pods' model gates) → decide and write status. The work lives in small classes; this one orchestrates.
 * No finalizer: owner references delete the workload; JOSDK also calls {@link #reconcile} on the informer's delete
 * event ({@code triggerReconcilerOnAllEvents}), which drops what the operator holds in memory for the model.
 */
@ControllerConfiguration(name = LocalModelReconciler.NAME, triggerReconcilerOnAllEvents = true)
@GradualRetry(maxAttempts = ReconcileRetry.MAX_ATTEMPTS, maxInterval = ReconcileRetry.MAX_INTERVAL_MS)
public class LocalModelReconciler implements Reconciler<LocalModel> {

    public static final String NAME = "localmodel";
    private static final Logger LOG = LoggerFactory.getLogger(LocalModelReconciler.class);

    private final OperatorConfig config;
    private final ModelPuller puller;
    private final HealthMonitor health;
    private final OllamaAddressing addressing;
    private final ReconcileTrigger<LocalModel> trigger;
    private final ResourceGauge pullProgress;
    private final ModelInspector inspector;
    private final LocalModelStatusFactory statusFactory;
    private final StatusWriter<LocalModel, LocalModelStatus> statusWriter;
    private final ModelReadyGate gate;
    private final AppliedObjects workloads = new AppliedObjects();
    private final WorkloadEventReader eventReader;
    /** Writes the monitor's Events in order, off its thread (the thread ends when idle); see {@link #close}. */
    private final ExecutorService monitorEvents = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "localmodel-monitor-events");
                t.setDaemon(true);
                return t;
            });
    private final BringUp bringUp = new BringUp();
    private InformerEventSource<StatefulSet, LocalModel> statefulSets;
    private volatile IndexerResourceCache<LocalModel> localModels;
    private InformerEventSource<Service, LocalModel> services;

    /** What the cache holds for a managed LocalModel before this reconcile writes anything. */
    private record Observed(ReplicaObservation replicas, StatefulSet statefulSet, Service service) {
    }

    public LocalModelReconciler(OperatorConfig config, ModelPuller puller, HealthMonitor health,
                                OllamaAddressing addressing, ReconcileTrigger<LocalModel> trigger,
                                ResourceGauge pullProgress, ModelInspector inspector) {
        this.config = config;
        this.puller = puller;
        this.health = health;
        this.addressing = addressing;
        this.trigger = trigger;
        this.pullProgress = pullProgress;
        this.inspector = inspector;
        this.statusFactory = new LocalModelStatusFactory(config.clock());
        // the pacing (a second's coalescing, a step's hold) is wall time, not the operator's clock: a test that holds
        // the clock still to keep status periods from passing must not hold every LocalModel status write back with it
        this.statusWriter = new StatusWriter<>(Clock.systemUTC(), LocalModelStatusFactory.pacing(config.pullProgressPeriod()));
        // a pod's not-ready steps on the way up are shown on it once they last a status period
        this.gate = new ModelReadyGate(config.clock(), config.statusPeriod());
        this.eventReader = new WorkloadEventReader(config.clock(), config.statusPeriod());
    }

    @Override
    public List<EventSource<?, LocalModel>> prepareEventSources(EventSourceContext<LocalModel> context) {
        // only what this operator (its shard) made: the caches stay the size of its own fleet; and they keep what
        // the reconciler reads, not pod templates: those were most of the memory per model
        String own = config.shard().ownObjects(Labels.managed(Labels.MODEL_SERVER));
        statefulSets = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(StatefulSet.class, LocalModel.class).withName("statefulsets").withLabelSelector(own)
                .withItemStore(PrunedItemStore.statefulSets()).withOnUpdateFilter(StatefulSetUpdates::matter)
                .build(), context);
        services = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Service.class, LocalModel.class).withName("services").withLabelSelector(own).build(), context);
        // pods belong to the StatefulSet, not to us: map them back by label
        var pods = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Pod.class, LocalModel.class).withName("pods")
                .withLabelSelector(own)
                .withSecondaryToPrimaryMapper(LocalModelReconciler::ownerOfPod)
                .withItemStore(PrunedItemStore.pods()).withOnUpdateFilter(PodUpdates::matter)
                .build(), context);
        // the event of our own model-gate write starts no reconcile: the reconcile that wrote it saw all it says
        gate.onWritten(pods::handleRecentResourceUpdate);
        // circuit transitions come from the monitor's thread; the cached resource has the uid the Event needs.
        // The Event is written on a thread of its own: on the monitor's one scheduler thread each write stopped all
        // probing for a round trip, and a fleet of 10 000 loading at once queued 10 000 of them
        var cache = context.getPrimaryCache();
        localModels = cache;
        EventRecorder events = new EventRecorder(context.getClient(), config.clock());
        health.setCircuitListener((id, transition) -> cache.get(id)
                .ifPresent(lm -> writeLater(() -> LocalModelEvents.circuit(events, lm, transition))));
        // a load's figures reach status with the health it publishes, which triggers the reconcile
        health.setEventListener((id, event) -> cache.get(id)
                .ifPresent(lm -> writeLater(() -> LocalModelEvents.model(events, lm, event, bringUp))));
        return List.of(statefulSets, services, pods, trigger);
    }

    /** Every LocalModel in the watched namespaces as this controller's cache holds it (the fleet page). */
    public List<LocalModel> cachedLocalModels() {
        var cache = localModels;
        return cache == null ? List.of() : cache.list().toList();
    }

    /** Queues a monitor Event; once the operator stopped it is dropped, and so is one that finds the client closed. */
    private void writeLater(Runnable write) {
        try {
            monitorEvents.execute(() -> {
                try {
                    write.run();
                } catch (IllegalStateException e) {
                    LOG.debug("monitor Event dropped: {}", e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("monitor Event dropped: the operator stopped");
        }
    }

    /** The operator stops: Events still queued are dropped, and the writing thread ends now rather than when idle. */
    public void close() {
        monitorEvents.shutdownNow();
    }

    private static Set<ResourceID> ownerOfPod(Pod pod) {
        String owner = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(Labels.LOCAL_MODEL);
        return owner == null ? Set.of() : Set.of(new ResourceID(owner, pod.getMetadata().getNamespace()));
    }

    @Override
    public UpdateControl<LocalModel> reconcile(LocalModel lm, Context<LocalModel> context) {
        ResourceID id = ResourceID.fromResource(lm);
        if (context.isPrimaryResourceDeleted()) {
            forget(lm);
            return UpdateControl.noUpdate();
        }
        LegacyFinalizer.release(context.getClient(), lm);
        if (lm.isMarkedForDeletion()) {
            // going (other finalizers hold it): recreate nothing, probe nothing
            forget(lm);
            return UpdateControl.noUpdate();
        }
        try (var ignored = LogContext.of(lm.getMetadata().getNamespace(), lm.getMetadata().getName(),
                lm.getSpec() == null ? null : lm.getSpec().getModel())) {
            List<String> problems = new ArrayList<>(LocalModelValidation.problems(lm));
            ModelObservation seen = null;
            if (problems.isEmpty()) {
                Observed observed = observe(lm, context);
                try {
                    seen = apply(lm, id, context, observed);
                } catch (DesiredObjectWriter.NameTakenException e) {
                    problems.add("metadata.name: " + e.getMessage());
                } catch (IllegalArgumentException e) {
                    // the health monitor's own check of the probe settings (validation should have caught it first)
                    problems.add(e.getMessage());
                }
            }
            if (seen == null) {
                seen = ModelObservation.invalid(lm, problems);
            }
            if (!problems.isEmpty()) {
                health.untrack(id);
            }
            LocalModelStatus status = statusFactory.build(seen);
            if (status.getPull() != null && status.getPull().getProgressPercent() != null) {
                pullProgress.set(lm, Tags.of("model", lm.getSpec().getModel()), status.getPull().getProgressPercent());
            }
            Instant now = config.clock().instant();
            bringUp.saw(id, status.getPhase(), now, lm.getStatus() != null
                    && Phase.READY.value().equals(lm.getStatus().getPhase()));
            var written = statusWriter.write(context.getClient(), lm, status, events(context),
                    (events, model, before, after) -> LocalModelEvents.written(events, model, before, after, bringUp,
                            config.clock().instant()));
            return reschedule(seen, written.comeBackIn(), gate.heldUntil(id));
        }
    }

    /** Reads the pods and owned objects from the informer caches; writes nothing. */
    private Observed observe(LocalModel lm, Context<LocalModel> context) {
        if (lm.getSpec().getExternal() != null) {
            return new Observed(ReplicaObservation.of(List.of()), null, null);
        }
        var pods = context.getSecondaryResources(Pod.class);
        StatefulSet statefulSet = context.getSecondaryResource(StatefulSet.class).orElse(null);
        // what the controllers said about missing or unscheduled pods: reads of Events, only while some are stuck.
        // No StatefulSet yet: apply creates it, nothing has been said about it, and our own create brings no
        // event, so the reconcile must come back to look
        int desired = OllamaWorkload.replicas(lm.getSpec());
        var events = statefulSet == null && desired > 0 ? new WorkloadEvents(true, List.of(), List.of())
                : eventReader.read(context.getClient(), ResourceID.fromResource(lm), statefulSet, pods, desired);
        return new Observed(ReplicaObservation.of(pods, events), statefulSet,
                context.getSecondaryResource(Service.class).orElse(null));
    }

    /**
     * Writes the workload, starts pulls and health tracking at each replica's own address, sets each pod's model
     * gate, and gathers what they report.
     */
    private ModelObservation apply(LocalModel lm, ResourceID id, Context<LocalModel> context, Observed observed) {
        String model = lm.getSpec().getModel();
        if (!workloads.current(id, lm, null, observed.statefulSet(), observed.service())) {
            OllamaWorkload.desired(lm, config).ifPresent(desired -> applyWorkload(id, lm, context, desired, observed));
        }
        Map<String, PullState> pulls = new LinkedHashMap<>();
        List<ProbeTarget.Replica> servable = new ArrayList<>();
        boolean reachable = false;
        int desired;
        if (lm.getSpec().getExternal() != null) {
            desired = 1;
            String url = addressing.serviceEndpoint(lm);
            PullState state = carryOver(lm, puller.ensurePulled(id, url, model));
            reachable = !(state instanceof PullState.Checking)
                    && !(state instanceof PullState.Failed failed && !failed.serverAnswered());
            if (reachable) {
                pulls.put(url, state);
                if (state instanceof PullState.Present) {
                    servable.add(new ProbeTarget.Replica(ProbeTarget.SERVER, url));
                }
            }
        } else {
            desired = OllamaWorkload.replicas(lm.getSpec());
            for (Pod pod : observed.replicas().servers()) {
                String url = addressing.replicaEndpoint(lm, pod);
                PullState state = carryOver(lm, puller.ensurePulled(id, url, model));
                pulls.put(pod.getMetadata().getName(), state);
                if (state instanceof PullState.Present) {
                    servable.add(new ProbeTarget.Replica(pod.getMetadata().getName(), url));
                }
            }
        }
        Optional<PublishedHealth> published = Optional.empty();
        if (!servable.isEmpty()) {
            // after a restart the health in status stands, and the first probes are compared with it
            health.track(id, new ProbeTarget(servable, model, lm.getSpec().getProbe(), lm.getSpec().getCircuitBreaker(),
                    lm.getSpec().getOllama() == null ? null : lm.getSpec().getOllama().getKeepAlive()),
                    () -> previousHealth(lm));
            published = health.published(id).or(() -> previousHealth(lm));
        } else {
            health.untrack(id);
        }
        Map<String, ModelReadyGate.Verdict> gates = lm.getSpec().getExternal() != null ? Map.of()
                : applyGates(id, context, model, observed.replicas().servers(), pulls, published);
        return new ModelObservation(lm, List.of(), addressing.serviceEndpoint(lm), desired, observed.replicas(), pulls,
                reachable, published, servable.isEmpty() ? Optional.empty()
                        : inspector.details(id, servable.get(0).endpoint(), model),
                servable.isEmpty() ? Optional.empty() : health.memory(id), gates);
    }

    /** Each server pod's model gate from its pull and its own probes; written only where it changes. */
    private Map<String, ModelReadyGate.Verdict> applyGates(ResourceID id, Context<LocalModel> context, String model,
                                                           List<Pod> servers, Map<String, PullState> pulls,
                                                           Optional<PublishedHealth> published) {
        Map<String, ReplicaHealth> lines = new HashMap<>();
        published.map(p -> p.health().getReplicas()).ifPresent(all -> all.forEach(r -> lines.put(r.getName(), r)));
        Map<String, ModelReadyGate.Verdict> gates = new LinkedHashMap<>();
        for (Pod pod : servers) {
            String name = pod.getMetadata().getName();
            ModelReadyGate.Verdict verdict = ModelReadyGate.of(model, pulls.get(name), lines.get(name));
            gates.put(name, verdict);
            gate.apply(context.getClient(), id, pod, verdict);
        }
        gate.retain(id, servers);
        return gates;
    }

    /**
     * While a restarted operator checks again whether the model is on disk, status keeps saying what it said:
     * a restart must not flap a Ready model through Pulling. Only for the spec the status was written for.
     */
    private static PullState carryOver(LocalModel lm, PullState state) {
        var status = lm.getStatus();
        if (state instanceof PullState.Checking && describesThisSpec(lm) && status.getModel() != null
                && status.getModel().getDigest() != null
                && Conditions.isTrue(status.getConditions(), LocalModelStatusFactory.MODEL_PULLED)) {
            Long size = status.getModel().getSizeBytes();
            return new PullState.Present(status.getModel().getDigest(), size == null ? 0 : size);
        }
        return state;
    }

    private static boolean describesThisSpec(LocalModel lm) {
        return lm.getStatus() != null && lm.getStatus().getObservedGeneration() != null
                && lm.getStatus().getObservedGeneration().equals(lm.getMetadata().getGeneration());
    }

    /** Until a restarted operator's first probe, the health in status stands (for the spec it was measured on). */
    private static Optional<PublishedHealth> previousHealth(LocalModel lm) {
        var status = lm.getStatus();
        if (!describesThisSpec(lm) || status.getHealth() == null) {
            return Optional.empty();
        }
        Optional<CircuitState> circuit = CircuitState.of(status.getHealth().getCircuit());
        return circuit.flatMap(state -> Conditions.find(status.getConditions(), LocalModelStatusFactory.HEALTHY)
                .filter(c -> !Conditions.UNKNOWN.equals(c.getStatus()))
                .map(c -> new PublishedHealth(status.getHealth(), state, Conditions.TRUE.equals(c.getStatus()),
                        c.getReason(), c.getMessage())));
    }

    private void applyWorkload(ResourceID id, LocalModel lm, Context<LocalModel> context,
                               OllamaWorkload.Desired desired, Observed observed) {
        var writer = new WorkloadWriter(new DesiredObjectWriter(context.getClient()));
        String note = writer.apply(statefulSets, id, desired.statefulSet(), observed.statefulSet());
        writer.apply(services, id, desired.service(), observed.service());
        // the objects as written are as desired: the next reconcile (our write's informer event) finds them so
        workloads.applied(id, lm, null, writer.statefulSet(), writer.service());
        if (note != null) {
            LOG.warn(note);
        }
    }

    /**
     * Comes back for the soonest of: a held status write, a held gate step, a pull retry, a stuck model's Events, an
     * external server.
     */
    private UpdateControl<LocalModel> reschedule(ModelObservation seen, Optional<Duration> heldStatus,
                                                 Optional<Instant> heldGate) {
        Instant now = config.clock().instant();
        Optional<Duration> next = heldStatus;
        if (heldGate.isPresent()) {
            next = Durations.sooner(next, Duration.between(now, heldGate.get()));
        }
        if (seen.external() && !seen.reachable()) {
            next = Durations.sooner(next, Duration.ofSeconds(30));
        }
        Optional<Instant> retry = seen.pulls().values().stream()
                .filter(s -> s instanceof PullState.Failed).map(s -> ((PullState.Failed) s).retryAt())
                .min(Instant::compareTo);
        if (retry.isPresent()) {
            next = Durations.sooner(next, Duration.between(now, retry.get()).plusSeconds(1));
        }
        if (seen.replicas().recheck()) {
            // Events change no object we watch: look at a stuck model's again, as often as status may be stale
            next = Durations.sooner(next, config.statusPeriod());
        }
        return next.map(d -> UpdateControl.<LocalModel>noUpdate().rescheduleAfter(Math.max(d.toMillis(), 1)))
                .orElseGet(UpdateControl::noUpdate);
    }

    /** The model is gone (or going): drop its pulls, probes, gates, meters and remembered status. */
    private void forget(LocalModel lm) {
        ResourceID id = ResourceID.fromResource(lm);
        puller.forget(id);
        inspector.forget(id);
        gate.forget(id);
        workloads.forget(id);
        eventReader.forget(id);
        health.untrack(id);
        pullProgress.remove(lm);
        statusWriter.forget(lm);
        bringUp.forget(id);
    }

    private EventRecorder events(Context<LocalModel> context) {
        return new EventRecorder(context.getClient(), config.clock());
    }
}
