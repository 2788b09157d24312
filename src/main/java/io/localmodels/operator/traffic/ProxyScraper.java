package io.localmodels.operator.traffic;

import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Reads proxy metrics pages over HTTP: at most {@code concurrency} at once, each bounded by {@code timeout}. A page
 * that does not arrive, is not 200 or does not parse is a failed read, never an empty one.
 */
final class ProxyScraper {

    private final OkHttpClient http;
    private final Semaphore slots;

    ProxyScraper(OkHttpClient shared, Duration timeout, int concurrency) {
        // the proxy's page is small and local: a short call timeout keeps a hung pod from holding the round
        this.http = shared.newBuilder().callTimeout(timeout).followRedirects(false).build();
        this.slots = new Semaphore(concurrency);
    }

    /** The reading of {@code url}; completes exceptionally when it cannot be read. */
    CompletableFuture<ProxyReading> read(String url) {
        CompletableFuture<ProxyReading> out = new CompletableFuture<>();
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.completeExceptionally(e);
            return out;
        }
        Call call;
        try {
            call = http.newCall(new Request.Builder().url(url).header("Accept", "text/plain").build());
        } catch (IllegalArgumentException e) {
            slots.release();
            out.completeExceptionally(e);
            return out;
        }
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                slots.release();
                out.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call c, Response response) {
                slots.release();
                try (ResponseBody body = response.body()) {
                    if (response.code() != 200) {
                        throw new IOException(url + " answered HTTP " + response.code());
                    }
                    out.complete(ProxyReading.parse(body.string()));
                } catch (IOException | RuntimeException e) {
                    out.completeExceptionally(e);
                }
            }
        });
        return out;
    }
}
