package io.localmodels.operator.model;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.ModelDetails;
import io.localmodels.operator.ollama.ModelName;
import io.localmodels.operator.ollama.OllamaClient;
import io.localmodels.operator.ollama.PsResponse;
import io.localmodels.operator.ollama.ShowResponse;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * What Ollama says about a model once it is on disk — server version, capabilities, context length, memory in
 * VRAM — for {@code status.model}. Asked in the background, never from a reconcile thread, and again every few
 * minutes because VRAM use changes when the model is loaded or evicted.
 */
public class ModelInspector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelInspector.class);
    static final Duration REFRESH = Duration.ofMinutes(5);

    private record Key(String endpoint, String model) {
    }

    private record Entry(ResourceID owner, ModelDetails details, Instant fetched, boolean inFlight) {
    }

    private final OkHttpClient http;
    private final Clock clock;
    private final Consumer<ResourceID> onChange;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    /** The keys asked for each owner, so that forgetting one model does not scan every model's entry. */
    private final Map<ResourceID, Set<Key>> keysOf = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "model-inspector");
        t.setDaemon(true);
        return t;
    });

    public ModelInspector(OkHttpClient http, Clock clock, Consumer<ResourceID> onChange) {
        this.http = http;
        this.clock = clock;
        this.onChange = onChange;
    }

    /** The details known so far (empty at first); starts a fetch when there is none or it is old. */
    public Optional<ModelDetails> details(ResourceID owner, String endpoint, String model) {
        Key key = new Key(endpoint, model);
        keysOf.computeIfAbsent(owner, o -> ConcurrentHashMap.newKeySet()).add(key);
        Instant now = clock.instant();
        Entry entry = entries.compute(key, (k, old) -> {
            boolean stale = old == null || (!old.inFlight() && old.fetched().plus(REFRESH).isBefore(now));
            if (!stale) {
                return old;
            }
            executor.execute(() -> fetch(k, owner));
            return new Entry(owner, old == null ? null : old.details(), old == null ? now : old.fetched(), true);
        });
        return Optional.ofNullable(entry.details());
    }

    private void fetch(Key key, ResourceID owner) {
        ModelDetails details = new ModelDetails();
        try {
            OllamaClient ollama = new OllamaClient(http, key.endpoint());
            details.setOllamaVersion(ollama.version());
            ShowResponse show = ollama.showAsync(key.model(), Duration.ofSeconds(30)).join();
            details.setCapabilities(show.capabilities());
            details.setContextLength(show.contextLength());
            loadedState(ollama, key.model(), details);
        } catch (IOException | RuntimeException e) {
            // keep what was known; try again after the refresh interval
            LOG.debug("could not inspect {} at {}: {}", key.model(), key.endpoint(), e.getMessage());
            entries.computeIfPresent(key, (k, old) -> new Entry(owner, old.details(), clock.instant(), false));
            return;
        }
        entries.put(key, new Entry(owner, details, clock.instant(), false));
        onChange.accept(owner); // the reconcile writes status only if the details changed
    }

    /** VRAM and the context in use, when the model is loaded; a model not loaded (or an old server) has none. */
    private static void loadedState(OllamaClient ollama, String model, ModelDetails details) {
        try {
            for (PsResponse.Model loaded : ollama.ps()) {
                if (ModelName.sameModel(loaded.name(), model) || ModelName.sameModel(loaded.model(), model)) {
                    details.setVramBytes(loaded.sizeVram());
                    if (loaded.contextLength() != null) {
                        details.setContextLength(loaded.contextLength()); // what the runner really uses
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("no /api/ps answer for {}: {}", model, e.getMessage());
        }
    }

    /** Forgets what was learnt for {@code owner}, at whichever replica. */
    public void forget(ResourceID owner) {
        // called after every load: a scan of all entries made a fleet's bring-up quadratic
        Set<Key> keys = keysOf.remove(owner);
        if (keys != null) {
            keys.forEach(k -> entries.computeIfPresent(k, (key, e) -> owner.equals(e.owner()) ? null : e));
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
