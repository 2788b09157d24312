package io.localmodels.operator.pull;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.ollama.ModelName;
import io.localmodels.operator.ollama.OllamaClient;
import io.localmodels.operator.ollama.OllamaException;
import io.localmodels.operator.ollama.TagsResponse;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Gets models onto Ollama servers through {@code /api/pull}, in the background, one pull per server and model
 * however many owners ask. Reconcilers call {@link #ensurePulled} from any thread and never wait: it answers with
 * the current {@link PullState} and starts or retries work as needed; {@code onProgress} says when to look again.
 */
public class ModelPuller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelPuller.class);
    /** Pulls are long blocking streams; more than this many at once wait in a queue (state stays Checking). */
    static final int MAX_CONCURRENT_ATTEMPTS = 8;
    /** Looks on disk ({@code /api/tags}) at once: a quick call, which must not wait behind long pulls. */
    static final int MAX_CONCURRENT_CHECKS = 8;

    private final OkHttpClient http;
    private final Clock clock;
    private final ProgressNotifier notifier;
    private final RetryBackoff backoff;
    private final ThreadPoolExecutor checks;
    private final ThreadPoolExecutor pulls;
    private final ConcurrentMap<PullJob.PullKey, PullJob> jobs = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public ModelPuller(OkHttpClient http, OperatorConfig config, Consumer<ResourceID> onProgress) {
        this.http = Objects.requireNonNull(http, "http");
        this.clock = config.clock();
        this.notifier = new ProgressNotifier(Objects.requireNonNull(onProgress, "onProgress"),
                config.pullProgressPeriod(), clock);
        this.backoff = RetryBackoff.PULLS;
        // a new model's check used to wait behind the pulls on the same threads: 8 large pulls held every other
        // model at Checking for as long as they took
        this.checks = pool(MAX_CONCURRENT_CHECKS, "model-check-");
        this.pulls = pool(MAX_CONCURRENT_ATTEMPTS, "model-pull-");
    }

    /**
     * Non-blocking. Returns where the model stands on that Ollama server; starts a pull in the background if
     * needed. The first call for a server and model checks {@code /api/tags} (so an operator restart does not pull
     * again); a failed attempt is retried by the first call at or after its {@code retryAt}.
     *
     * @param endpoint base URL of one Ollama replica
     * @throws IllegalArgumentException when the endpoint is not an http(s) URL or the model is empty
     */
    public PullState ensurePulled(ResourceID owner, String endpoint, String model) {
        Objects.requireNonNull(owner, "owner");
        HttpUrl url = endpoint == null ? null : HttpUrl.parse(endpoint.trim());
        if (url == null) {
            throw new IllegalArgumentException("endpoint '" + endpoint + "' is not an http(s) URL");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must not be empty");
        }
        if (closed) {
            throw new IllegalStateException("the model puller is closed");
        }
        String name = model.trim();
        PullJob.PullKey key = new PullJob.PullKey(url.toString(), ModelName.key(name));
        while (true) {
            PullJob job = jobs.computeIfAbsent(key, k -> new PullJob(k, name, http));
            if (!job.addOwner(owner)) {
                jobs.remove(key, job); // dropped by forget() meanwhile: start afresh
                continue;
            }
            if (job.claimAttempt(clock.instant())) {
                submit(job, endpoint.trim());
            }
            return job.state();
        }
    }

    /** The owner is gone: stop telling it, and cancel and forget every pull no other owner waits for. */
    public void forget(ResourceID owner) {
        jobs.values().removeIf(job -> job.removeOwner(owner));
        notifier.forget(owner);
    }

    /** Cancels every pull; later calls to {@link #ensurePulled} fail. */
    @Override
    public void close() {
        closed = true;
        checks.shutdownNow();
        pulls.shutdownNow();
        notifier.close();
        jobs.values().forEach(PullJob::drop);
        jobs.clear();
    }

    private void submit(PullJob job, String endpoint) {
        try {
            checks.execute(() -> check(job, endpoint));
        } catch (RejectedExecutionException e) {
            job.unclaim();
            throw new IllegalStateException("the model puller is closed", e);
        }
    }

    /** An attempt begins: look on disk; a model that is missing goes on to a pull thread. */
    private void check(PullJob job, String endpoint) {
        OllamaClient ollama = new OllamaClient(job.client(), endpoint);
        boolean pulling = false;
        try {
            Optional<TagsResponse.Model> onDisk = find(ollama.tags(), job.model);
            if (onDisk.isPresent()) {
                present(job, onDisk.get());
            } else {
                pulls.execute(() -> pull(job, endpoint, ollama));
                pulling = true;
            }
        } catch (RejectedExecutionException e) {
            // closed meanwhile: nobody waits for this answer
        } catch (IOException | RuntimeException e) {
            failed(job, endpoint, e);
        } finally {
            if (!pulling) {
                job.attemptEnded();
            }
        }
    }

    /** The attempt goes on: pull, then read the digest and size of what landed. */
    private void pull(PullJob job, String endpoint, OllamaClient ollama) {
        try {
            LOG.info("pulling {} on {}", job.model, endpoint);
            PullProgress progress = new PullProgress("starting pull");
            progressed(job, progress.current());
            ollama.pull(job.model, line -> progressed(job, progress.accept(line)));
            Optional<TagsResponse.Model> onDisk = find(ollama.tags(), job.model);
            if (onDisk.isEmpty()) {
                throw new OllamaException(200, "pull reported success but /api/tags does not list " + job.model);
            }
            LOG.info("pulled {} on {}", job.model, endpoint);
            present(job, onDisk.get());
        } catch (IOException | RuntimeException e) {
            failed(job, endpoint, e);
        } finally {
            job.attemptEnded();
        }
    }

    private void present(PullJob job, TagsResponse.Model found) {
        tell(job.succeeded(new PullState.Present(digestOf(found), found.size() == null ? 0 : found.size())));
    }

    private void failed(PullJob job, String endpoint, Exception e) {
        if (job.isDropped()) {
            return; // cancelled on purpose: nobody waits for this answer
        }
        String message = e instanceof OllamaException ? e.getMessage() : endpoint + ": " + describe(e);
        List<ResourceID> owners = job.failed(message, e instanceof OllamaException, clock.instant(), backoff);
        LOG.warn("pulling {} on {} failed: {}", job.model, endpoint, message);
        tell(owners);
    }

    private void progressed(PullJob job, PullState.Pulling progress) {
        job.progressed(progress).forEach(notifier::progress);
    }

    private void tell(List<ResourceID> owners) {
        owners.forEach(notifier::terminal);
    }

    private static Optional<TagsResponse.Model> find(List<TagsResponse.Model> models, String requested) {
        return models.stream()
                .filter(m -> ModelName.sameModel(m.name(), requested) || ModelName.sameModel(m.model(), requested))
                .findFirst();
    }

    /** /api/tags gives the bare hex of the manifest digest; status carries it as {@code sha256:…}. */
    private static String digestOf(TagsResponse.Model model) {
        String digest = model.digest();
        if (digest == null || digest.isBlank()) {
            return "";
        }
        return digest.contains(":") ? digest : "sha256:" + digest;
    }

    private static String describe(Throwable e) {
        if (e instanceof java.io.EOFException) {
            return "connection closed before the answer ended";
        }
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static ThreadPoolExecutor pool(int threads, String name) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, name + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
