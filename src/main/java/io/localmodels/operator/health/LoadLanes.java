package io.localmodels.operator.health;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * At most {@code lanes} model loads in flight, apart from the probe slots; the others wait in line in the order
 * they came. Used on {@link ProbeSchedule}'s scheduler thread only.
 */
final class LoadLanes {

    private final int lanes;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;

    LoadLanes(int lanes) {
        if (lanes < 1) {
            throw new IllegalArgumentException("at least one load lane is needed, got " + lanes);
        }
        this.lanes = lanes;
    }

    /** Starts {@code load} in a free lane now, or once one is free; it must call {@link #done} when it ends. */
    void run(Runnable load) {
        if (inFlight < lanes && waiting.isEmpty()) {
            inFlight++;
            load.run();
        } else {
            waiting.add(load);
        }
    }

    /** A load ended: its lane goes to the first in line. */
    void done() {
        inFlight--;
        while (inFlight < lanes && !waiting.isEmpty()) {
            inFlight++;
            waiting.poll().run();
        }
    }
}
