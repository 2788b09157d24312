package io.localmodels.operator.model;

import io.localmodels.operator.testing.StatusConditions;
import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.api.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.localmodels.operator.api.HealthStatus;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelStatus;
import io.localmodels.operator.health.ModelMemory;
import io.localmodels.operator.health.PublishedHealth;
import io.localmodels.operator.pull.PullState;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LocalModelStatusFactoryTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private final LocalModelStatusFactory factory = new LocalModelStatusFactory(Clock.fixed(T0, ZoneOffset.UTC));

    @Test
    void aStepForwardOnTheWayUpWaitsTheProgressPeriodAndEverythingElseASecond() {
        var pacing = LocalModelStatusFactory.pacing(java.time.Duration.ofSeconds(5));
        Instant held = T0;

        assertThat(pacing.writeAt(null, phase(Phase.PENDING), held, Optional.empty())).as("the first status")
                .isEqualTo(T0.plusSeconds(1));
        assertThat(pacing.writeAt(phase(Phase.PENDING), phase(Phase.LOADING), held, Optional.of(T0)))
                .isEqualTo(T0.plusSeconds(5));
        assertThat(pacing.writeAt(phase(Phase.PENDING), phase(Phase.PULLING), held, Optional.of(T0)))
                .isEqualTo(T0.plusSeconds(5));
        assertThat(pacing.writeAt(phase(Phase.PULLING), phase(Phase.LOADING), held, Optional.of(T0)))
                .isEqualTo(T0.plusSeconds(5));
        // a Loading step still held when Ready comes: Ready is due a second after the first change was held
        assertThat(pacing.writeAt(phase(Phase.PENDING), phase(Phase.READY), held, Optional.of(T0)))
                .isEqualTo(T0.plusSeconds(1));
        assertThat(pacing.writeAt(phase(Phase.LOADING), phase(Phase.PENDING), held, Optional.of(T0))).as("a step back")
                .isEqualTo(T0.plusSeconds(1));
        assertThat(pacing.writeAt(phase(Phase.PENDING), phase(Phase.SCHEDULING), held, Optional.of(T0)))
                .as("scheduling trouble").isEqualTo(T0.plusSeconds(1));
        assertThat(pacing.writeAt(phase(Phase.LOADING), phase(Phase.FAILED), held, Optional.of(T0)))
                .isEqualTo(T0.plusSeconds(1));
        assertThat(pacing.writeAt(phase(Phase.PULLING), phase(Phase.PULLING), held, Optional.of(T0)))
                .as("pull progress: paced by the puller").isEqualTo(T0.plusSeconds(1));
    }

    private static LocalModelStatus phase(Phase phase) {
        LocalModelStatus status = new LocalModelStatus();
        status.setPhase(phase.value());
        return status;
    }

    @Test
    void unschedulablePodShowsTheSchedulersMessage() {
        Pod pending = pod("m-0", false, "False", "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.");
        LocalModelStatus status = build(List.of(pending), Map.of(), Optional.empty());

        assertThat(status.getPhase()).isEqualTo(Phase.SCHEDULING.value());
        assertThat(condition(status, "Scheduled").getStatus()).isEqualTo("False");
        assertThat(condition(status, "Scheduled").getMessage()).contains("3 Insufficient nvidia.com/gpu");
        assertThat(condition(status, "Ready").getMessage()).contains("3 Insufficient nvidia.com/gpu");
        assertThat(status.getReady()).isEqualTo("0/1");
    }

    @Test
    void imagePullErrorIsFailedWithTheKubeletsMessage() {
        Pod pod = pod("m-0", false, "True", null);
        pod.getStatus().setContainerStatuses(List.of(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                .withName("ollama").withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"ollama/ollama:nope\"").endWaiting().endState().build()));

        LocalModelStatus status = build(List.of(pod), Map.of(), Optional.empty());

        assertThat(status.getPhase()).isEqualTo(Phase.FAILED.value());
        assertThat(condition(status, "Ready").getReason()).isEqualTo("ImagePullBackOff");
        assertThat(condition(status, "Ready").getMessage()).contains("ollama/ollama:nope");
    }

    static final String RUNTIME_CLASS_REJECTED = "create Pod m-0 in StatefulSet m failed error: pods \"m-0\" is "
            + "forbidden: pod rejected: RuntimeClass \"nvidia\" not found";

    @Test
    void aPodRejectedByAdmissionIsFailedWithTheStatefulSetControllersMessage() {
        // the claim is created, then the pod is rejected, within the same second
        LocalModelStatus status = build(List.of(), new WorkloadEvents(true, List.of(
                event("SuccessfulCreate", "Normal", "create Claim models-m-0 Pod m-0 in StatefulSet m success", T0),
                event("FailedCreate", "Warning", RUNTIME_CLASS_REJECTED, T0)), List.of()));

        assertThat(status.getPhase()).isEqualTo(Phase.FAILED.value());
        assertThat(condition(status, "Ready").getReason()).isEqualTo("FailedCreate");
        assertThat(condition(status, "Ready").getMessage()).isEqualTo(RUNTIME_CLASS_REJECTED);
        assertThat(condition(status, "Scheduled").getStatus()).isEqualTo("False");
        assertThat(condition(status, "Scheduled").getReason()).isEqualTo("FailedCreate");
        assertThat(condition(status, "Scheduled").getMessage()).isEqualTo(RUNTIME_CLASS_REJECTED);
    }

    @Test
    void aNewerSuccessfulCreateClearsAnOldRejection() {
        LocalModelStatus status = build(List.of(), new WorkloadEvents(true, List.of(
                event("FailedCreate", "Warning", RUNTIME_CLASS_REJECTED, T0),
                event("SuccessfulCreate", "Normal", "create Pod m-0 in StatefulSet m successful", T0.plusSeconds(1))),
                List.of()));

        assertThat(status.getPhase()).isEqualTo(Phase.PENDING.value());
        assertThat(condition(status, "Scheduled").getStatus()).isEqualTo("True");
    }

    @Test
    void aRejectedReplicaBesideAServingOneIsDegradedNotFailed() {
        var pods = List.of(pod("m-0", true, "True", null));
        var quota = "create Pod m-1 in StatefulSet m failed error: pods \"m-1\" is forbidden: exceeded quota: gpu, "
                + "requested: requests.nvidia.com/gpu=1, used: requests.nvidia.com/gpu=1, limited: requests.nvidia.com/gpu=1";
        LocalModelStatus status = factory.build(new ModelObservation(model(), List.of(), "http://m.llm.svc.cluster.local:11434",
                2, ReplicaObservation.of(pods, new WorkloadEvents(true, List.of(event("FailedCreate", "Warning", quota, T0)),
                List.of())), Map.of("m-0", new PullState.Present("sha256:abc", 1000)), false, health(CircuitState.CLOSED, true),
                Optional.empty()));

        assertThat(status.getPhase()).isEqualTo(Phase.DEGRADED.value());
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Ready").getMessage()).isEqualTo("1 of 2 replicas are ready: " + quota);
        assertThat(condition(status, "Scheduled").getReason()).isEqualTo("FailedCreate");
    }

    @Test
    void aClaimWithoutAStorageClassKeepsThePodSchedulingWithThePvControllersMessage() {
        Pod pending = pod("m-0", false, "False", "0/3 nodes are available: pod has unbound immediate "
                + "PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
        // the PV controller reports FailedBinding as a Normal event, every resync
        var claim = new WorkloadEvents.PendingClaim("m-0", "models-m-0", "Pending", List.of(event("FailedBinding", "Normal",
                "no persistent volumes available for this claim and no storage class is set", T0)));

        LocalModelStatus status = build(List.of(pending), new WorkloadEvents(true, List.of(), List.of(claim)));

        assertThat(status.getPhase()).isEqualTo(Phase.SCHEDULING.value());
        assertThat(condition(status, "Scheduled").getReason()).isEqualTo("FailedBinding");
        assertThat(condition(status, "Scheduled").getMessage()).isEqualTo("pod m-0: PersistentVolumeClaim models-m-0 is "
                + "Pending: no persistent volumes available for this claim and no storage class is set");
        assertThat(condition(status, "Ready").getReason()).isEqualTo("FailedBinding");
    }

    @Test
    void aProvisionerThatKeepsFailingIsShownWhileItRetries() {
        Pod pending = pod("m-0", false, "False", "running PreBind plugin \"VolumeBinding\": binding volumes: "
                + "context deadline exceeded");
        String failed = "failed to provision volume with StorageClass \"gp3\": rpc error: code = Internal desc = "
                + "Could not create volume: UnauthorizedOperation";
        // the provisioner's progress reports come between its failures: they must not clear the reason
        var claim = new WorkloadEvents.PendingClaim("m-0", "models-m-0", "Pending", List.of(
                event("ProvisioningFailed", "Warning", failed, T0.plusSeconds(10)),
                event("Provisioning", "Normal", "External provisioner is provisioning volume for claim \"llm/models-m-0\"",
                        T0.plusSeconds(20)),
                event("ExternalProvisioning", "Normal", "Waiting for a volume to be created either by the external "
                        + "provisioner 'ebs.csi.aws.com' or manually by the system administrator.", T0.plusSeconds(25))));

        LocalModelStatus status = build(List.of(pending), new WorkloadEvents(true, List.of(), List.of(claim)));

        assertThat(status.getPhase()).isEqualTo(Phase.SCHEDULING.value());
        assertThat(condition(status, "Scheduled").getReason()).isEqualTo("ProvisioningFailed");
        assertThat(condition(status, "Scheduled").getMessage())
                .isEqualTo("pod m-0: PersistentVolumeClaim models-m-0 is Pending: " + failed);
    }

    @Test
    void eventsTellTheirTimeByLastTimestampThenSeriesThenEventTime() {
        Event legacy = event("FailedCreate", "Warning", "x", T0.plusSeconds(30));
        Event series = new EventBuilder().withReason("FailedCreate").withEventTime(new MicroTime("2026-11-25T10:00:05.000000Z"))
                .withNewSeries().withCount(4).withLastObservedTime(new MicroTime("2026-11-25T10:00:40.123456Z")).endSeries().build();
        Event single = new EventBuilder().withReason("FailedCreate").withEventTime(new MicroTime("2026-11-25T10:00:20.500000Z"))
                .build();

        assertThat(WorkloadEvents.time(legacy)).isEqualTo(T0.plusSeconds(30));
        assertThat(WorkloadEvents.time(series)).isEqualTo(Instant.parse("2026-11-25T10:00:40.123456Z"));
        assertThat(WorkloadEvents.time(single)).isEqualTo(Instant.parse("2026-11-25T10:00:20.500Z"));
    }

    @Test
    void pullingShowsProgressAndThePullingPhase() {
        LocalModelStatus status = build(List.of(pod("m-0", true, "True", null)),
                Map.of("m-0", new PullState.Pulling(42, 420, 1000, "pulling 8eeb52dfb3bb")), Optional.empty());

        assertThat(status.getPhase()).isEqualTo(Phase.PULLING.value());
        assertThat(status.getPull().getProgressPercent()).isEqualTo(42);
        assertThat(status.getPull().getCompletedBytes()).isEqualTo(420);
        assertThat(condition(status, "ModelPulled").getStatus()).isEqualTo("False");
        assertThat(condition(status, "ModelPulled").getReason()).isEqualTo("Pulling");
    }

    @Test
    void failedPullSaysWhyAndWhenItRetries() {
        LocalModelStatus status = build(List.of(pod("m-0", true, "True", null)),
                Map.of("m-0", new PullState.Failed("pull model manifest: file does not exist", 2, T0.plusSeconds(40), true)),
                Optional.empty());

        assertThat(status.getPhase()).isEqualTo(Phase.PULLING.value());
        assertThat(condition(status, "ModelPulled").getReason()).isEqualTo("PullFailed");
        assertThat(condition(status, "ModelPulled").getMessage()).contains("file does not exist").contains("attempt 2");
    }

    @Test
    void pulledButNotYetProbedIsLoading() {
        LocalModelStatus status = build(List.of(pod("m-0", true, "True", null)),
                Map.of("m-0", new PullState.Present("sha256:abc", 1000)), Optional.empty());

        assertThat(status.getPhase()).isEqualTo(Phase.LOADING.value());
        assertThat(status.getPull().getProgressPercent()).isEqualTo(100);
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
    }

    @Test
    void circuitDecidesReadyDegradedAndUnavailable() {
        var present = Map.<String, PullState>of("m-0", new PullState.Present("sha256:abc", 1000));
        var pods = List.of(pod("m-0", true, "True", null));

        LocalModelStatus ready = build(pods, present, health(CircuitState.CLOSED, true));
        assertThat(ready.getPhase()).isEqualTo(Phase.READY.value());
        assertThat(condition(ready, "Ready").getStatus()).isEqualTo("True");
        assertThat(ready.getHealth().getSuccessRate()).isEqualTo(1.0);

        LocalModelStatus halfOpen = build(pods, present, health(CircuitState.HALF_OPEN, false));
        assertThat(halfOpen.getPhase()).isEqualTo(Phase.DEGRADED.value());

        LocalModelStatus open = build(pods, present, health(CircuitState.OPEN, false));
        assertThat(open.getPhase()).isEqualTo(Phase.UNAVAILABLE.value());
        assertThat(condition(open, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(open, "Healthy").getStatus()).isEqualTo("False");
    }

    @Test
    void aRestartedOperatorKeepsModelLoadedUntilItsProbeCyclesHaveLooked() {
        var pods = List.of(pod("m-0", true, "True", null));
        var present = Map.<String, PullState>of("m-0", new PullState.Present("sha256:abc", 1000));
        LocalModel lm = model();
        lm.setStatus(factory.build(withMemory(lm, pods, present, new ModelMemory(null, 1.0, 0, 1.0, null, null))));
        Condition loaded = condition(lm.getStatus(), "ModelLoaded");
        assertThat(loaded.getMessage()).isEqualTo("the last load took 1.0 s");

        // what a new operator's health monitor knows of the model before its first cycle: nothing
        LocalModelStatus afterRestart = factory.build(withMemory(lm, pods, present, new ModelMemory(null, null, 0, null, null, null)));

        assertThat(condition(afterRestart, "ModelLoaded")).isEqualTo(loaded);
        assertThat(afterRestart.getModel().getLastLoadSeconds()).isEqualTo(1.0);
    }

    private static ModelObservation withMemory(LocalModel lm, List<Pod> pods, Map<String, PullState> pulls,
                                               ModelMemory memory) {
        return new ModelObservation(lm, List.of(), "http://m.llm.svc.cluster.local:11434", 1,
                ReplicaObservation.of(pods), pulls, false, health(CircuitState.CLOSED, true), Optional.empty(),
                Optional.of(memory), Map.of());
    }

    @Test
    void transitionTimeIsKeptWhileAConditionKeepsItsStatus() {
        var pods = List.of(pod("m-0", true, "True", null));
        var present = Map.<String, PullState>of("m-0", new PullState.Present("sha256:abc", 1000));
        LocalModel lm = model();
        lm.setStatus(build(pods, present, health(CircuitState.CLOSED, true)));
        String since = condition(lm.getStatus(), "Ready").getLastTransitionTime();

        var later = new LocalModelStatusFactory(Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC));
        LocalModelStatus again = later.build(observation(lm, pods, present, health(CircuitState.CLOSED, true)));
        LocalModelStatus opened = later.build(observation(lm, pods, present, health(CircuitState.OPEN, false)));

        assertThat(condition(again, "Ready").getLastTransitionTime()).isEqualTo(since);
        assertThat(condition(opened, "Ready").getLastTransitionTime()).isEqualTo(T0.plusSeconds(600).toString());
    }

    @Test
    void invalidSpecIsFailedAndKeepsTheKnownEndpoint() {
        LocalModel lm = model();
        LocalModelStatus before = new LocalModelStatus();
        before.setEndpoint("http://m.llm.svc.cluster.local:11434");
        lm.setStatus(before);

        LocalModelStatus status = factory.build(ModelObservation.invalid(lm, List.of("spec.replicas: -1 is outside 0..64")));

        assertThat(status.getPhase()).isEqualTo(Phase.FAILED.value());
        assertThat(condition(status, "SpecValid").getMessage()).isEqualTo("spec.replicas: -1 is outside 0..64");
        assertThat(status.getEndpoint()).isEqualTo("http://m.llm.svc.cluster.local:11434");
    }

    private LocalModelStatus build(List<Pod> pods, WorkloadEvents events) {
        return factory.build(new ModelObservation(model(), List.of(), "http://m.llm.svc.cluster.local:11434", 1,
                ReplicaObservation.of(pods, events), Map.of(), false, Optional.empty(), Optional.empty()));
    }

    /** An Event as a core/v1 recorder writes it, about the StatefulSet or claim in question. */
    private static Event event(String reason, String type, String message, Instant last) {
        return new EventBuilder().withNewMetadata().withName("m." + Long.toHexString(last.toEpochMilli())).endMetadata()
                .withReason(reason).withType(type).withMessage(message).withCount(3)
                .withFirstTimestamp(T0.minusSeconds(60).toString()).withLastTimestamp(last.toString()).build();
    }

    private LocalModelStatus build(List<Pod> pods, Map<String, PullState> pulls, Optional<PublishedHealth> health) {
        return factory.build(observation(model(), pods, pulls, health));
    }

    private static ModelObservation observation(LocalModel lm, List<Pod> pods, Map<String, PullState> pulls,
                                                Optional<PublishedHealth> health) {
        return new ModelObservation(lm, List.of(), "http://m.llm.svc.cluster.local:11434", 1,
                ReplicaObservation.of(pods), pulls, false, health, Optional.empty());
    }

    private static Optional<PublishedHealth> health(CircuitState circuit, boolean healthy) {
        HealthStatus h = new HealthStatus();
        h.setSuccessRate(healthy ? 1.0 : 0.0);
        h.setCircuit(circuit.value());
        return Optional.of(new PublishedHealth(h, circuit, healthy, healthy ? "ProbesSucceeding" : "CircuitOpen",
                healthy ? "" : "4 of 4 probes failed"));
    }

    private static LocalModel model() {
        LocalModel lm = GpuSchedulingTest.model(null);
        lm.getMetadata().setGeneration(3L);
        return lm;
    }

    static Pod pod(String name, boolean ready, String scheduled, String schedulerMessage) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().withPodIP(ready ? "10.0.0.7" : null)
                .addNewCondition().withType("PodScheduled").withStatus(scheduled)
                .withReason("False".equals(scheduled) ? "Unschedulable" : null).withMessage(schedulerMessage).endCondition()
                .addNewCondition().withType("ContainersReady").withStatus(ready ? "True" : "False").endCondition()
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus().build();
    }

    private static Condition condition(LocalModelStatus status, String type) {
        return StatusConditions.condition(status.getConditions(), type);
    }
}
