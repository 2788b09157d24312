package io.localmodels.operator.router;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.config.Shard;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Which named LocalModels are outside the operator's shard, and what reading that costs. */
class OutOfShardTest {

    private final ModelRouter router = RouterFixtures.router("gateway/router.yaml");
    private final Set<String> named = LocalModelReferences.names(router);
    private final List<String> reads = new ArrayList<>();
    private final Shard shardA = Shard.of(Shard.LABEL + "=a", "a");

    private Function<String, HasMetadata> cluster(Map<String, String> shardOf) {
        return name -> {
            reads.add(name);
            if (!shardOf.containsKey(name)) {
                return null;
            }
            LocalModel lm = new LocalModel();
            lm.getMetadata().setName(name);
            lm.getMetadata().setLabels(Map.of(Shard.LABEL, shardOf.get(name)));
            return lm;
        };
    }

    @Test
    void unshardedOrWithEveryBackendCachedNothingIsRead() {
        assertThat(LocalModelReferences.outsideShard(router, Set.of(), Shard.ALL, cluster(Map.of())))
                .isEqualTo(OutOfShard.NONE);
        assertThat(LocalModelReferences.outsideShard(router, named, shardA, cluster(Map.of())))
                .isEqualTo(OutOfShard.NONE);
        assertThat(reads).isEmpty();
    }

    @Test
    void aMissingBackendOfAnotherShardIsOutsideOneOfThisShardOrNoneIsNot() {
        List<String> names = List.copyOf(named);
        String other = names.get(0);
        String notYetCached = names.get(1);
        OutOfShard out = LocalModelReferences.outsideShard(router, Set.copyOf(names.subList(2, names.size())), shardA,
                cluster(Map.of(other, "b", notYetCached, "a")));
        assertThat(out.names()).containsExactly(other);
        assertThat(out.selector()).isEqualTo(Shard.LABEL + "=a");
        assertThat(reads).containsExactlyInAnyOrder(other, notYetCached);

        List<String> problems = ModelRouterValidation.validate(router.getSpec(), "team-a",
                Map.of(), SecretCatalog.UNCHECKED, out);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("localModel: LocalModel '" + other
                + "' exists in namespace team-a but is outside this operator's shard"));
        assertThat(problems).noneSatisfy(p -> assertThat(p).contains("'" + other + "' not found"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("'" + notYetCached + "' not found"));
    }
}
