package io.localmodels.operator.router;

import java.util.Set;

/**
 * LocalModels a router names that exist in its namespace but outside this operator's shard (their labels do not
 * match its selector): this operator neither runs them nor sees their status, so the router cannot route to them.
 *
 * @param selector the shard's label selector, for the message
 * @param names    those LocalModels' names
 */
public record OutOfShard(String selector, Set<String> names) {

    /** Unsharded, or every named LocalModel is in the shard. */
    public static final OutOfShard NONE = new OutOfShard("", Set.of());

    public OutOfShard {
        names = Set.copyOf(names);
    }

    /** The problem of a backend naming {@code localModel} outside the shard, after its field path. */
    String problem(String localModel, String namespace) {
        return "LocalModel '" + localModel + "' exists in namespace " + namespace + " but is outside this operator's"
                + " shard: its labels do not match the selector '" + selector + "'; a router and its LocalModels must"
                + " be in one shard (label the LocalModel to match, or move the router to the LocalModel's shard)";
    }
}
