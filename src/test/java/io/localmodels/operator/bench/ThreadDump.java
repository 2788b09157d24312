package io.localmodels.operator.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Writes the process's threads (what {@code jcmd <pid> Thread.print} prints) next to the class histogram when
 * {@code bench.histogram} names a file prefix: after the operators closed, what still runs and whose it is.
 */
final class ThreadDump {
    private ThreadDump() {
    }

    /** Writes {@code <prefix>-<tag>-<moment>-threads.txt} if {@code bench.histogram} is set; otherwise does nothing. */
    static void write(String tag, String moment) {
        String prefix = System.getProperty("bench.histogram");
        if (prefix == null || prefix.isBlank()) {
            return;
        }
        Path file = Path.of(prefix + "-" + tag + "-" + moment + "-threads.txt");
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "threadPrint",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            Files.writeString(file, String.valueOf(text));
            System.out.println("info[" + tag + "]: thread dump " + moment + " written to " + file);
        } catch (JMException | IOException e) {
            System.out.println("info[" + tag + "]: no thread dump " + moment + ": " + e);
        }
    }
}
