package io.localmodels.operator.fleet;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.localmodels.operator.api.ExcludedBackend;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelSpec;
import io.localmodels.operator.api.LocalModelStatus;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.ModelRouterStatus;
import io.localmodels.operator.api.RouterModelStatus;
import io.localmodels.operator.health.HealthWindow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The page's HTML without a browser: escaping of every string from the cluster, the sparkline, the reload period. */
class FleetPageTest {

    private static final String HOSTILE = "<script>alert('x')</script> & \"quoted\"";

    @Test
    void escapesTheFiveCharactersThatMatterInTextAndAttributes() {
        assertThat(Html.escape("<a href=\"x\">'&'</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assertThat(Html.escape(null)).isEmpty();
    }

    @Test
    void noStringFromTheClusterReachesThePageAsMarkup() {
        LocalModel lm = new LocalModel();
        lm.getMetadata().setNamespace("llm");
        lm.getMetadata().setName("m");
        lm.getMetadata().setAnnotations(Map.of(FleetSnapshot.DESCRIPTION, HOSTILE));
        lm.setSpec(new LocalModelSpec());
        lm.getSpec().setModel("qwen3:30b");
        LocalModelStatus status = new LocalModelStatus();
        status.setPhase("Failed");
        status.setConditions(List.of(new ConditionBuilder().withType("SpecValid").withStatus("False")
                .withReason("Invalid").withMessage(HOSTILE).build()));
        lm.setStatus(status);
        ModelRouter router = new ModelRouter();
        router.getMetadata().setNamespace("llm");
        router.getMetadata().setName("gateway");
        RouterModelStatus name = new RouterModelStatus();
        name.setName(HOSTILE);
        ExcludedBackend left = new ExcludedBackend();
        left.setLocalModel("m");
        left.setReason(HOSTILE);
        name.setExcluded(List.of(left));
        router.setStatus(new ModelRouterStatus());
        router.getStatus().setModels(List.of(name));

        String html = FleetPage.render(FleetSnapshot.of(List.of(lm), List.of(router), List.of()), 10, Instant.EPOCH);

        assertThat(html).doesNotContain("<script", "alert('x')", "\"quoted\"")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;")
                .contains("SpecValid: &lt;script&gt;")
                .contains("<meta http-equiv=\"refresh\" content=\"10\">")
                .contains("This operator replica probes nothing");
    }

    @Test
    void theSparklineScalesToTheSlowestProbeAndMarksEachFailure() {
        String svg = Sparkline.svg(List.of(new HealthWindow.Point(100, false), new HealthWindow.Point(400, false),
                new HealthWindow.Point(5, true)), "m-0");

        assertThat(svg).startsWith("<svg class=\"spark\"")
                // x from 1 to 119, y from 22 (0 ms) up to 2 (the slowest)
                .contains("points=\"1.0,17.0 60.0,2.0 119.0,21.8\"")
                .containsOnlyOnce("class=\"fail\"")
                .contains("m-0: 3 probes, 1 failed, slowest 400 ms");
        assertThat(Sparkline.svg(List.of(), "m-0")).isEmpty();
    }
}
