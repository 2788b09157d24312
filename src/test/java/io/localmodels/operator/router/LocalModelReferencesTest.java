package io.localmodels.operator.router;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.localmodels.operator.api.LocalModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Which LocalModel updates reach the routers that name it: those that can change what a router renders. */
class LocalModelReferencesTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private final LocalModel before = RouterFixtures.localModels("gateway/localmodels.yaml").get("qwen3-30b");

    @Test
    void probeTimesAndLatenciesDoNotReachTheRouter() {
        assertThat(LocalModelReferences.routingChanged(before, after(lm -> {
            lm.getStatus().getHealth().setLastProbeTime("2026-11-25T10:00:30Z");
            lm.getStatus().getHealth().setSuccessRate(0.95);
        }))).isFalse();
    }

    @Test
    void whatTheConfigIsRenderedFromReachesIt() {
        assertThat(LocalModelReferences.routingChanged(before, after(lm -> lm.getStatus().getHealth().setCircuit("Open"))))
                .isTrue();
        assertThat(LocalModelReferences.routingChanged(before, after(lm -> lm.getStatus().getModel().setContextLength(8192))))
                .isTrue();
        // tools decide supports_function_calling, embedding the deployment's kind
        assertThat(LocalModelReferences.routingChanged(before, after(lm -> lm.getStatus().getModel()
                .setCapabilities(List.of("completion"))))).isTrue();
        assertThat(LocalModelReferences.routingChanged(before, after(lm -> lm.getStatus().setEndpoint("http://10.0.0.7:11434"))))
                .isTrue();
    }

    private LocalModel after(Consumer<LocalModel> change) {
        LocalModel copy = JSON.clone(before);
        change.accept(copy);
        return copy;
    }
}
