package io.localmodels.operator.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One model of the {@link FakeOllama}: what the test set (capabilities, family, load time, share in VRAM) and what
 * Ollama's scheduler holds for it (loaded or not, a load in flight, its parallel slots), as in {@code server/sched.go}
 * and {@code llm/server.go} of 0.12.6: a load belongs to the request that started it and is aborted when that
 * client leaves; requests to a loaded model wait without limit for a free slot.
 */
public final class FakeModel {

    /** Ollama's {@code load_duration} on a loaded model: the few milliseconds it takes to find the runner. */
    static final long LOADED_NANOS = 2_154_458L;
    private static final long POLL_MILLIS = 10;

    private final String name;
    private final FakeOllama server;
    private final AtomicInteger waitingForSlot = new AtomicInteger();
    private volatile List<String> capabilities;   // null: the server's default
    private volatile String family = "qwen3";
    private volatile Duration loadTime = Duration.ZERO;
    private volatile Duration generationTime = Duration.ZERO;
    private volatile String loadFailure;
    private volatile double vramShare = 1.0;
    private volatile int contextLength = 40960;
    private volatile int dimensions = 8;

    // the runner, guarded by this
    private boolean loaded;
    private boolean loading;
    private Semaphore slots;
    private Duration keepAlive;
    private Instant expiresAt;

    FakeModel(String name, FakeOllama server) {
        this.name = name;
        this.server = server;
    }

    public String name() {
        return name;
    }

    /** What {@code /api/show} reports; {@code embedding} without {@code completion} makes an embedding-only model. */
    public FakeModel capabilities(String... caps) {
        this.capabilities = List.of(caps);
        return this;
    }

    /** {@code details.family}, e.g. {@code gptoss} for gpt-oss models; {@code qwen3} unless told. */
    public FakeModel family(String family) {
        this.family = family;
        return this;
    }

    /** How long a load takes (zero unless told); the client that started it must stay connected throughout. */
    public FakeModel loadTime(Duration time) {
        this.loadTime = time;
        return this;
    }

    /**
     * How long generating an answer takes from now on, holding its slot meanwhile, reported as its
     * {@code eval_duration} (as Ollama's is: the time generation took). Zero unless told: the answer comes at once
     * and reports 500 ms.
     */
    public FakeModel generationTime(Duration time) {
        this.generationTime = time;
        return this;
    }

    Duration generationTime() {
        return generationTime;
    }

    /** From now on loads fail with this message (HTTP 500, e.g. an out-of-memory text); null lets them succeed. */
    public FakeModel loadFailure(String ollamaMessage) {
        this.loadFailure = ollamaMessage;
        return this;
    }

    /** The share of the loaded model in VRAM, 0..1, for {@code size_vram} in {@code /api/ps}; 1 unless told. */
    public FakeModel vramShare(double share) {
        if (share < 0 || share > 1) {
            throw new IllegalArgumentException("vramShare must be within 0..1, was " + share);
        }
        this.vramShare = share;
        return this;
    }

    /** The trained context length ({@code model_info.<family>.context_length}); 40960 unless told. */
    public FakeModel contextLength(int tokens) {
        this.contextLength = tokens;
        return this;
    }

    /** The length of the vectors {@code /api/embed} answers; 8 unless told. */
    public FakeModel dimensions(int length) {
        this.dimensions = length;
        return this;
    }

    public List<String> capabilities() {
        List<String> own = capabilities;
        return own != null ? own : server.defaultCapabilities();
    }

    public String family() {
        return family;
    }

    public int contextLength() {
        return contextLength;
    }

    int dimensions() {
        return dimensions;
    }

    double vramShare() {
        return vramShare;
    }

    /** Whether Ollama would let it chat or generate: it has the {@code completion} capability. */
    public boolean completes() {
        return capabilities().contains("completion");
    }

    /** Loaded and running (a load in flight does not count). */
    public synchronized boolean loaded() {
        return loaded;
    }

    /** Listed by {@code /api/ps}: Ollama lists a runner from the moment its weights start loading. */
    synchronized boolean inMemory() {
        return loaded || loading;
    }

    synchronized Instant expiresAt() {
        return expiresAt != null ? expiresAt : server.now().plus(session());
    }

    /** Requests waiting for a free slot right now. */
    public int waitingForSlot() {
        return waitingForSlot.get();
    }

    /**
     * Waits until the model runs, loading it when no other request is: returns the nanoseconds waited, or the load's
     * failure, or that the client left first (a load this request started is then aborted: the model stays unloaded).
     * A request that waited for another's aborted load starts its own (Ollama's next request starts from scratch).
     */
    RunnerWait awaitRunner(Duration requestKeepAlive) throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            boolean mine;
            synchronized (this) {
                if (requestKeepAlive != null) {
                    keepAlive = requestKeepAlive;
                }
                if (loaded) {
                    long waited = System.nanoTime() - start;
                    return new RunnerWait(Math.max(waited, LOADED_NANOS), slots, null);
                }
                mine = !loading;
                if (mine) {
                    loading = true;
                    expiresAt = null;
                }
            }
            if (mine) {
                server.journal(name, LoadEvent.Kind.STARTED, Duration.ZERO);
                return load(start);
            }
            synchronized (this) {
                if (loading) {
                    wait(POLL_MILLIS);
                }
            }
            if (!ClientLink.stillConnected()) {
                return RunnerWait.LEFT;
            }
        }
    }

    private RunnerWait load(long start) throws InterruptedException {
        long deadline = start + loadTime.toNanos();
        for (long now = System.nanoTime(); now < deadline; now = System.nanoTime()) {
            if (!ClientLink.stillConnected()) {
                finishLoad(false);
                server.journal(name, LoadEvent.Kind.ABORTED, Duration.ofNanos(System.nanoTime() - start));
                return RunnerWait.LEFT;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS), deadline - now));
        }
        String failure = loadFailure;
        Semaphore running = finishLoad(failure == null);
        long took = System.nanoTime() - start;
        server.journal(name, failure == null ? LoadEvent.Kind.COMPLETED : LoadEvent.Kind.FAILED, Duration.ofNanos(took));
        return new RunnerWait(took, running, failure);
    }

    private synchronized Semaphore finishLoad(boolean success) {
        loading = false;
        loaded = success;
        // Ollama loads embedding models with one slot whatever OLLAMA_NUM_PARALLEL says
        slots = success ? new Semaphore(completes() ? server.numParallel() : 1, true) : null;
        notifyAll();
        return slots;
    }

    /** Takes a slot of the runner, waiting as long as it takes (Ollama's {@code sem.Acquire(ctx)}); null if the client left. */
    SlotHold awaitSlot(Semaphore runnerSlots) throws InterruptedException {
        waitingForSlot.incrementAndGet();
        try {
            while (!runnerSlots.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (!ClientLink.stillConnected()) {
                    return null;
                }
            }
            return new SlotHold(runnerSlots);
        } finally {
            waitingForSlot.decrementAndGet();
        }
    }

    /** A request ended: the keep-alive timer starts again (Ollama resets it after every request). */
    synchronized void used() {
        expiresAt = server.now().plus(session());
    }

    private Duration session() {
        Duration session = keepAlive != null ? keepAlive : server.keepAlive();
        return session.isNegative() ? Duration.ofNanos(Long.MAX_VALUE) : session;
    }

    /** As a user's request would: loads the model at once if needed (journaled), then takes a free slot. */
    synchronized SlotHold hold() {
        if (loading) {
            throw new IllegalStateException(name + " is loading; hold a slot once it is loaded");
        }
        if (!loaded) {
            loadAtOnce();
        }
        if (!slots.tryAcquire()) {
            throw new IllegalStateException("every slot of " + name + " is taken");
        }
        return new SlotHold(slots);
    }

    /** Loaded at once, as if a user's request had loaded it before the test looks. */
    synchronized void preload() {
        if (!loaded && !loading) {
            loadAtOnce();
        }
    }

    private synchronized void loadAtOnce() {
        server.journal(name, LoadEvent.Kind.STARTED, Duration.ZERO);
        finishLoad(true);
        used();
        server.journal(name, LoadEvent.Kind.COMPLETED, Duration.ZERO);
    }

    /** Eviction or keep-alive expiry: the runner goes; requests still holding its slots finish on it. */
    synchronized void unload() {
        if (loading) {
            throw new IllegalStateException(name + " is loading; Ollama does not evict a runner that is loading");
        }
        if (loaded) {
            loaded = false;
            slots = null;
            expiresAt = null;
            server.journal(name, LoadEvent.Kind.UNLOADED, Duration.ZERO);
        }
    }

    /** What waiting for the runner came to: {@code slots} when it runs, {@code failure} when the load failed. */
    record RunnerWait(long nanos, Semaphore slots, String failure) {
        static final RunnerWait LEFT = new RunnerWait(0, null, null);

        boolean clientLeft() {
            return slots == null && failure == null;
        }
    }
}
