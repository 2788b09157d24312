package io.localmodels.operator.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The selector syntax the API server takes ({@code labels.Parse}), its canonical form, and matching. */
class LabelSelectorTest {

    @Test
    void parsesEveryOperatorIntoACanonicalForm() {
        LabelSelector s = LabelSelector.parse(" tier = gpu , zone in (b, a), !legacy,team,size>3, localmodels.io/shard!=x,"
                + "env notin (dev),rank<10, app==web");
        assertThat(s.toString()).isEqualTo("app=web,env notin (dev),!legacy,localmodels.io/shard!=x,rank<10,size>3,"
                + "team,tier=gpu,zone in (a,b)");
        assertThat(LabelSelector.parse(s.toString())).isEqualTo(s);
        assertThat(LabelSelector.parse("b=1,a=2")).isEqualTo(LabelSelector.parse("a=2,b=1"));
    }

    @Test
    void matchesAsTheApiServerDoes() {
        LabelSelector s = LabelSelector.parse("tier=gpu,zone in (a,b),!legacy,env!=dev");
        assertThat(s.matches(Map.of("tier", "gpu", "zone", "a"))).isTrue();
        assertThat(s.matches(Map.of("tier", "gpu", "zone", "b", "env", "prod"))).isTrue();
        assertThat(s.matches(Map.of("tier", "gpu", "zone", "c"))).isFalse();
        assertThat(s.matches(Map.of("tier", "gpu", "zone", "a", "legacy", ""))).isFalse();
        assertThat(s.matches(Map.of("tier", "gpu", "zone", "a", "env", "dev"))).isFalse();
        assertThat(s.matches(null)).isFalse();
        // != and notin select objects without the label
        assertThat(LabelSelector.parse("env!=dev").matches(Map.of())).isTrue();
        assertThat(LabelSelector.parse("env notin (dev)").matches(Map.of())).isTrue();
        assertThat(LabelSelector.parse("size>3").matches(Map.of("size", "4"))).isTrue();
        assertThat(LabelSelector.parse("size>3").matches(Map.of("size", "x"))).isFalse();
        assertThat(LabelSelector.parse("team").matches(Map.of("team", ""))).isTrue();
        assertThat(LabelSelector.parse("team=").matches(Map.of("team", ""))).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "Shard=A B          | unexpected 'B'",
            "shard in a         | 'shard in': expected '(' and a list of values",
            "shard in ()        | 'shard in ()': the set of values is empty",
            "shard in (a        | expected ',' or ')'",
            "-shard=a           | '-shard' is not a label key",
            "Example.com/x=a    | 'Example.com/x' is not a label key",
            "shard=a b          | unexpected 'b'",
            "shard=-a           | '-a' (for shard) is not a label value",
            "shard=a,           | expected a label key, found 'the end'",
            "size>big           | 'size>big': > needs an integer value",
            "shard ~ a          | expected =, ==, !=, in, notin, > or <",
    })
    void refusesWhatTheApiServerRefusesAndQuotesIt(String text, String message) {
        assertThatThrownBy(() -> LabelSelector.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void refusesAnEmptySelector() {
        assertThatThrownBy(() -> LabelSelector.parse("  ")).hasMessage("is empty");
    }
}
