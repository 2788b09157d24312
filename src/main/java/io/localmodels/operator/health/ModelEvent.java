package io.localmodels.operator.health;

/**
 * News from the probe cycles that deserves a Kubernetes Event: a load finished or failed, or the model was found
 * unloaded behind the operator's back. The reconciler turns them into Events; the texts are ready to show.
 */
public record ModelEvent(Kind kind, String message) {

    /** The Event reasons. */
    public enum Kind {
        ModelLoaded, ModelLoadFailed, ModelReloaded;

        public boolean warning() {
            return this != ModelLoaded;
        }
    }
}
