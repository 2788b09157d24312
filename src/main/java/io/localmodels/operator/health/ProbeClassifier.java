package io.localmodels.operator.health;

import io.localmodels.operator.ollama.ChatRequest;
import io.localmodels.operator.ollama.ChatResponse;
import io.localmodels.operator.ollama.EmbedResponse;
import io.localmodels.operator.ollama.HttpReply;
import io.localmodels.operator.ollama.OllamaException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place that turns what {@code OllamaClient.chat} (or the capability look-up before it) produced into a
 * {@link ProbeResult}. The rules are tabled in docs/response-format.md.
 */
public final class ProbeClassifier {

    private static final int MAX_ERROR = 300;

    private ProbeClassifier() {
    }

    /** Classifies an HTTP answer of any status. */
    public static ProbeResult classify(HttpReply reply) {
        Duration latency = Duration.ofNanos(reply.elapsedNanos());
        int code = reply.code();
        String body = reply.body() == null ? "" : reply.body();
        if (code == 404) {
            return failure(ProbeOutcome.ModelNotFound, latency, code, OllamaException.errorText(body));
        }
        if (code == 503) {
            return failure(ProbeOutcome.ServerBusy, latency, code, OllamaException.errorText(body));
        }
        if (code < 200 || code > 299) {
            return failure(ProbeOutcome.HttpError, latency, code, "HTTP " + code + ": " + OllamaException.errorText(body));
        }
        return classifyAnswer(body, latency, code);
    }

    /**
     * Classifies an {@code /api/embed} answer: success is a non-empty vector. Error statuses read as for chat
     * (404 ModelNotFound, 503 ServerBusy, others HttpError).
     */
    public static ProbeResult classifyEmbed(HttpReply reply) {
        Duration latency = Duration.ofNanos(reply.elapsedNanos());
        int code = reply.code();
        if (code < 200 || code > 299) {
            return classify(reply);
        }
        EmbedResponse answer;
        try {
            answer = EmbedResponse.parse(reply.body() == null ? "" : reply.body());
        } catch (IOException | RuntimeException e) {
            return failure(ProbeOutcome.MalformedResponse, latency, code, "not an Ollama embed answer: " + abbreviate(reply.body()));
        }
        if (answer == null) {
            return failure(ProbeOutcome.MalformedResponse, latency, code, "empty body");
        }
        if (answer.error() != null) {
            return failure(ProbeOutcome.HttpError, latency, code, answer.error());
        }
        if (!answer.hasVector()) {
            return failure(ProbeOutcome.EmptyResponse, latency, code, "no embedding vector in the answer");
        }
        // an embedding answer has no eval phase: what is not load or prompt evaluation is not measured
        return new ProbeResult(ProbeOutcome.Success, latency, 0, false, code, "",
                new ProbeResult.Timing(answer.totalDuration(), answer.loadDuration(), 0));
    }

    /** Classifies a failed call: {@code elapsed} is the wall time until it failed. */
    public static ProbeResult classify(Throwable failure, Duration elapsed) {
        Throwable cause = unwrap(failure);
        String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof OllamaException ollama) {
            // the capability look-up (/api/show) failed with an Ollama error answer
            ProbeOutcome outcome = switch (ollama.httpCode()) {
                case 404 -> ProbeOutcome.ModelNotFound;
                case 503 -> ProbeOutcome.ServerBusy;
                default -> ProbeOutcome.HttpError;
            };
            // same error texts as for the chat answer: the code is shown only for HttpError
            String bare = outcome == ProbeOutcome.HttpError ? text : text.replaceFirst("^HTTP \\d+: ", "");
            return failure(outcome, elapsed, ollama.httpCode(), bare);
        }
        if (cause instanceof com.fasterxml.jackson.core.JacksonException) {
            return failure(ProbeOutcome.MalformedResponse, elapsed, 200, "not an Ollama answer: " + text);
        }
        if (cause instanceof InterruptedIOException) {
            // okhttp's call timeout and socket read timeouts both land here
            return failure(ProbeOutcome.Timeout, elapsed, 0, "no answer within " + elapsed.toMillis() + " ms (" + text + ")");
        }
        if (cause instanceof IOException) {
            return failure(ProbeOutcome.ConnectionError, elapsed, 0, cause.getClass().getSimpleName() + ": " + text);
        }
        return failure(ProbeOutcome.ConnectionError, elapsed, 0, "unexpected " + cause.getClass().getSimpleName() + ": " + text);
    }

    private static ProbeResult classifyAnswer(String body, Duration latency, int code) {
        List<String> lines = body.strip().lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            return failure(ProbeOutcome.MalformedResponse, latency, code, "empty body");
        }
        Answer answer;
        try {
            answer = Answer.of(lines);
        } catch (IOException | RuntimeException e) {
            return failure(ProbeOutcome.MalformedResponse, latency, code, "not an Ollama chat answer: " + abbreviate(body));
        }
        if (answer.error != null) {
            // Ollama reports failures after the headers as an error line inside HTTP 200
            return failure(ProbeOutcome.HttpError, latency, code, answer.error);
        }
        if (!answer.hasMessage) {
            return failure(ProbeOutcome.MalformedResponse, latency, code, "answer has no message: " + abbreviate(body));
        }
        boolean thinking = !answer.thinking.isBlank();
        if (!answer.content.isBlank()) {
            return new ProbeResult(ProbeOutcome.Success, latency, answer.tokensPerSecond, thinking, code, "", answer.timing);
        }
        if (thinking && "length".equals(answer.doneReason)) {
            return new ProbeResult(ProbeOutcome.ThinkingBudgetExhausted, latency, answer.tokensPerSecond, true, code,
                    "no content: the token budget (num_predict) ran out while thinking after " + answer.evalCount
                            + " tokens; raise spec.probe.maxTokens or lower spec.probe.think", answer.timing);
        }
        return new ProbeResult(ProbeOutcome.EmptyResponse, latency, answer.tokensPerSecond, thinking, code,
                "empty content (done_reason " + answer.doneReason + (thinking ? ", thinking only" : "") + ")", answer.timing);
    }

    private static ProbeResult failure(ProbeOutcome outcome, Duration latency, int code, String error) {
        return new ProbeResult(outcome, latency, 0, false, code, abbreviate(error));
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String abbreviate(String text) {
        String s = text == null ? "" : text.strip();
        return s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR) + "…";
    }

    /** A chat answer, whole (stream:false) or assembled from NDJSON chunks (a server that streamed anyway). */
    private record Answer(String content, String thinking, String doneReason, long evalCount, double tokensPerSecond,
                          boolean hasMessage, String error, ProbeResult.Timing timing) {

        static Answer of(List<String> lines) throws IOException {
            StringBuilder content = new StringBuilder();
            StringBuilder thinking = new StringBuilder();
            boolean hasMessage = false;
            ChatResponse last = null;
            List<ChatResponse> chunks = new ArrayList<>();
            for (String line : lines) {
                ChatResponse chunk = ChatResponse.parse(line);
                if (chunk == null) {
                    throw new IOException("null answer");
                }
                chunks.add(chunk);
            }
            for (ChatResponse chunk : chunks) {
                if (chunk.error() != null) {
                    return new Answer("", "", null, 0, 0, false, chunk.error(), null);
                }
                ChatRequest.Message message = chunk.message();
                hasMessage |= message != null;
                content.append(chunk.content());
                thinking.append(chunk.thinking());
                last = chunk;
            }
            return new Answer(content.toString(), thinking.toString(), last.doneReason(), last.evalCount(),
                    last.tokensPerSecond(), hasMessage, null,
                    new ProbeResult.Timing(last.totalDuration(), last.loadDuration(), last.queueNanos()));
        }
    }
}
