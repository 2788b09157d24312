package io.localmodels.operator.ops;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

/**
 * Chooses between JSON log lines on stdout (the default for {@code run}: log collectors parse them) and plain lines
 * on stderr (local runs, and the commands whose stdout is their output: {@code render}, {@code probe}).
 */
public final class LogFormat {

    static final String PROPERTY = "localmodels.log.format";

    private LogFormat() {
    }

    /** Before any logging: the default for a command line, unless the property was given explicitly. */
    public static void defaultFor(String[] args) {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, args.length > 0 && "run".equals(args[0]) ? "json" : "plain");
        }
    }

    /** Switches the format of a running process ("json" or "plain"). */
    public static void use(String format) {
        if (format.equals(System.getProperty(PROPERTY))) {
            return;
        }
        System.setProperty(PROPERTY, format);
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.reset();
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                throw new IllegalStateException("cannot configure logging", e);
            }
        }
    }
}
