package io.localmodels.operator.status;

import org.slf4j.MDC;

/** Puts namespace, name and model into the log context of the current thread for the duration of a block. */
public final class LogContext implements AutoCloseable {

    private LogContext() {
    }

    public static LogContext of(String namespace, String name, String model) {
        MDC.put("namespace", namespace);
        MDC.put("name", name);
        if (model != null) {
            MDC.put("model", model);
        }
        return new LogContext();
    }

    @Override
    public void close() {
        MDC.remove("namespace");
        MDC.remove("name");
        MDC.remove("model");
    }
}
