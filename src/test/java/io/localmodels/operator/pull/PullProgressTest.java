package io.localmodels.operator.pull;

import io.localmodels.operator.ollama.PullLine;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PullProgressTest {

    @Test
    void sumsTheLayersSeenSoFarAndKeepsTheLastStatus() {
        PullProgress progress = new PullProgress("starting pull");
        assertThat(progress.current()).isEqualTo(new PullState.Pulling(0, 0, 0, "starting pull"));

        progress.accept(new PullLine("pulling manifest", null, null, null, null));
        progress.accept(new PullLine("pulling aaaa", "sha256:aaaa", 800L, null, null));
        assertThat(progress.accept(new PullLine("pulling aaaa", "sha256:aaaa", 800L, 400L, null)))
                .isEqualTo(new PullState.Pulling(50, 400, 800, "pulling aaaa"));

        // a new layer enlarges the total: the percentage may step back, the bytes never do
        assertThat(progress.accept(new PullLine("pulling bbbb", "sha256:bbbb", 200L, null, null)))
                .isEqualTo(new PullState.Pulling(40, 400, 1_000, "pulling bbbb"));
        // a repeated announcement without `completed` keeps the bytes already seen
        assertThat(progress.accept(new PullLine("pulling aaaa", "sha256:aaaa", 800L, null, null)))
                .isEqualTo(new PullState.Pulling(40, 400, 1_000, "pulling aaaa"));

        progress.accept(new PullLine("pulling aaaa", "sha256:aaaa", 800L, 800L, null));
        progress.accept(new PullLine("pulling bbbb", "sha256:bbbb", 200L, 199L, null));
        assertThat(progress.current().percent()).as("rounds down: 100 only when complete").isEqualTo(99);
        assertThat(progress.accept(new PullLine("verifying sha256 digest", null, null, null, null)))
                .isEqualTo(new PullState.Pulling(99, 999, 1_000, "verifying sha256 digest"));
    }

    @Test
    void multiTerabyteTotalsDoNotOverflow() {
        PullProgress progress = new PullProgress("starting pull");
        long total = 4L << 40;
        assertThat(progress.accept(new PullLine("pulling cccc", "sha256:cccc", total, total / 4, null)).percent())
                .isEqualTo(25);
    }
}
