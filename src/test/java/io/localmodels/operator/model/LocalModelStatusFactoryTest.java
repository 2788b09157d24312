package io.localmodels.operator.model;

import io.localmodels.operator.testing.StatusConditions;
import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.api.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.localmodels.operator.api.HealthStatus;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelStatus;
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
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus().build();
    }

    private static Condition condition(LocalModelStatus status, String type) {
        return StatusConditions.condition(status.getConditions(), type);
    }
}
