package io.localmodels.operator.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@code --selector} and {@code --shard-name} make of an operator: its lease, its labels, its caches. */
class ShardTest {

    @Test
    void withoutASelectorTheOperatorManagesEverythingUnderTodaysLease() {
        Shard all = Shard.of(null, null);
        assertThat(all.isAll()).isTrue();
        assertThat(all.leaseName()).isEqualTo("localmodels-operator-leader");
        assertThat(all.labels()).isEmpty();
        assertThat(all.resourceSelector()).isEmpty();
        assertThat(all.ownObjects("a=b")).isEqualTo("a=b");
        assertThat(all.contains(Map.of())).isTrue();
    }

    @Test
    void aNamedShardHasItsOwnLeaseAndLabelsWhatItCreates() {
        Shard a = Shard.of("localmodels.io/shard = a", "gpu-a");
        assertThat(a.leaseName()).isEqualTo("localmodels-operator-leader-gpu-a");
        assertThat(a.labels()).containsExactly(Map.entry("localmodels.io/shard", "gpu-a"));
        assertThat(a.resourceSelector()).contains("localmodels.io/shard=a");
        assertThat(a.ownObjects("app.kubernetes.io/managed-by=localmodels-operator"))
                .isEqualTo("app.kubernetes.io/managed-by=localmodels-operator,localmodels.io/shard=gpu-a");
        assertThat(a.contains(Map.of("localmodels.io/shard", "a"))).isTrue();
        assertThat(a.contains(Map.of("localmodels.io/shard", "b"))).isFalse();
    }

    @Test
    void anUnnamedShardIsNamedAfterItsCanonicalSelector() {
        Shard one = Shard.of("team=ml,tier=gpu", null);
        Shard same = Shard.of("tier = gpu, team = ml", null);
        assertThat(one.name()).matches("sel-[0-9a-f]{10}").isEqualTo(same.name());
        assertThat(Shard.of("tier=cpu", null).name()).isNotEqualTo(one.name());
        assertThat(one.leaseName()).isEqualTo("localmodels-operator-leader-" + one.name());
    }

    @Test
    void badFlagsAreRefusedNamingTheFlag() {
        assertThatThrownBy(() -> Shard.of("tier in gpu", null))
                .hasMessageStartingWith("--selector: 'tier in gpu' is not a label selector: ");
        assertThatThrownBy(() -> Shard.of(null, "a")).hasMessageStartingWith("--shard-name: needs --selector");
        assertThatThrownBy(() -> Shard.of("a=b", "Gpu_A")).hasMessageStartingWith("--shard-name: 'Gpu_A' must be");
        assertThatThrownBy(() -> Shard.of("a=b", "x".repeat(Shard.MAX_NAME + 1))).hasMessageStartingWith("--shard-name:");
        assertThat(Shard.of("a=b", "x".repeat(Shard.MAX_NAME)).leaseName()).hasSize(63);
    }
}
