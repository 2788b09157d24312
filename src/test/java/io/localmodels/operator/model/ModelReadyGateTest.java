package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.localmodels.operator.api.ReplicaHealth;
import io.localmodels.operator.pull.PullState;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What the model gate of one replica says, from its pull and its own probes. */
class ModelReadyGateTest {

    static final PullState PRESENT = new PullState.Present("sha256:abc", 1000);

    @Test
    void openOnlyOnceTheReplicaHasTheModelAndItsProbesSucceed() {
        assertThat(ModelReadyGate.of("qwen3:30b", PRESENT, new ReplicaHealth("m-0", "Closed", "Success", true)))
                .isEqualTo(new ModelReadyGate.Verdict(true, "ProbesSucceeding", ""));
        assertThat(ModelReadyGate.of("qwen3:30b", PRESENT, null).reason()).isEqualTo("AwaitingProbe");
        assertThat(ModelReadyGate.of("qwen3:30b", new PullState.Checking(), null).reason()).isEqualTo("CheckingModel");
    }

    @Test
    void aPullingReplicaIsShutAndSaysSo() {
        ModelReadyGate.Verdict pulling = ModelReadyGate.of("qwen3:30b",
                new PullState.Pulling(30, 300, 1000, "pulling 8eeb52dfb3bb"), null);
        assertThat(pulling.ready()).isFalse();
        assertThat(pulling.reason()).isEqualTo("Pulling");
        assertThat(pulling.message()).startsWith("this replica is still pulling qwen3:30b")
                .as("no percentages: the condition is not rewritten per progress line").doesNotContain("%");
    }

    @Test
    void anOpenCircuitShutsItWithTheLastResult() {
        ModelReadyGate.Verdict open = ModelReadyGate.of("qwen3:30b", PRESENT,
                new ReplicaHealth("m-1", "Open", "HttpError", false));
        assertThat(open).extracting(ModelReadyGate.Verdict::ready, ModelReadyGate.Verdict::reason)
                .containsExactly(false, "CircuitOpen");
        assertThat(open.message()).contains("circuit is open", "HttpError");
        assertThat(ModelReadyGate.of("qwen3:30b", PRESENT, new ReplicaHealth("m-1", "HalfOpen", "Timeout", false))
                .reason()).isEqualTo("CircuitHalfOpen");
    }

    @Test
    void aPodThatAlreadySaysItNeedsNoWrite() {
        ModelReadyGate.Verdict verdict = new ModelReadyGate.Verdict(true, "ProbesSucceeding", "");
        Pod pod = new PodBuilder().withNewMetadata().withName("m-0").endMetadata().withNewStatus()
                .addNewCondition().withType(ModelReadyGate.CONDITION).withStatus("True").withReason("ProbesSucceeding")
                .withLastTransitionTime(Instant.EPOCH.toString()).endCondition().endStatus().build();
        assertThat(ModelReadyGate.says(pod, verdict)).isTrue();
        assertThat(ModelReadyGate.says(pod, new ModelReadyGate.Verdict(false, "CircuitOpen", "x"))).isFalse();
    }
}
