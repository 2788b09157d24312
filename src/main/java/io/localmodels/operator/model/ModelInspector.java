package io.localmodels.operator.model;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.ModelDetails;
import io.localmodels.operator.ollama.OllamaClient;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What Ollama says about a model once it is on disk — server version, capabilities, trained context length — for
 * {@code status.model}. Asked asynchronously (two quick calls on the Ollama client's dispatcher; a reconcile never
 * waits for them), again after every load and every few minutes. What the model uses in memory (VRAM, the
 * runner's context) comes from the probe cycles' own {@code /api/ps}, with the result it belongs to.
 */
public class ModelInspector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelInspector.class);
    static final Duration REFRESH = Duration.ofMinutes(5);
    private static final Duration QUICK = Duration.ofSeconds(5);
    private static final Duration SHOW_TIMEOUT = Duration.ofSeconds(30);

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
        boolean[] start = {false};
        Entry entry = entries.compute(key, (k, old) -> {
            boolean stale = old == null || (!old.inFlight() && old.fetched().plus(REFRESH).isBefore(now));
            if (!stale) {
                return old;
            }
            start[0] = true;
            return new Entry(owner, old == null ? null : old.details(), old == null ? now : old.fetched(), true);
        });
        if (start[0]) {
            fetch(key, owner); // outside compute: a call that fails at once updates the entry from its callback
        }
        return Optional.ofNullable(entry.details());
    }

    private void fetch(Key key, ResourceID owner) {
        OllamaClient ollama = new OllamaClient(http, key.endpoint());
        ollama.versionAsync(QUICK).thenCombine(ollama.showAsync(key.model(), SHOW_TIMEOUT), (version, show) -> {
            ModelDetails details = new ModelDetails();
            details.setOllamaVersion(version);
            details.setCapabilities(show.capabilities());
            details.setContextLength(show.contextLength());
            return details;
        }).whenComplete((details, error) -> {
            if (error != null) {
                // keep what was known; try again after the refresh interval
                LOG.debug("could not inspect {} at {}: {}", key.model(), key.endpoint(), error.getMessage());
                entries.computeIfPresent(key, (k, old) -> new Entry(owner, old.details(), clock.instant(), false));
                return;
            }
            entries.put(key, new Entry(owner, details, clock.instant(), false));
            onChange.accept(owner); // the reconcile writes status only if the details changed
        });
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
        // nothing of its own runs: its calls are on the Ollama client's dispatcher, which the operator shuts down
    }
}
