package io.localmodels.operator.testing;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/** A parallel slot of a loaded model taken by a long "user request" of the test; {@link #release} frees it once. */
public final class SlotHold implements AutoCloseable {

    private final Semaphore slots;
    private final AtomicBoolean held = new AtomicBoolean(true);

    SlotHold(Semaphore slots) {
        this.slots = slots;
    }

    /** The user's request ends: the slot goes to the next request waiting for it. */
    public void release() {
        if (held.compareAndSet(true, false)) {
            slots.release();
        }
    }

    @Override
    public void close() {
        release();
    }
}
