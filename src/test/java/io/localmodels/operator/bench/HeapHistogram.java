package io.localmodels.operator.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Writes a class histogram of the live heap (what {@code jcmd <pid> GC.class_histogram} prints) when
 * {@code bench.histogram} names a file prefix, so the benchmark's heap figure can be broken down by class at the
 * moment it is taken.
 */
final class HeapHistogram {
    private HeapHistogram() {
    }

    /** Writes {@code <prefix>-<moment>.txt} if {@code bench.histogram} is set; otherwise does nothing. */
    static void write(String tag, String moment) {
        String prefix = System.getProperty("bench.histogram");
        if (prefix == null || prefix.isBlank()) {
            return;
        }
        Path file = Path.of(prefix + "-" + tag + "-" + moment + ".txt");
        try {
            // the DiagnosticCommand MBean runs jcmd's GC.class_histogram in-process (a full GC first: live objects only)
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            Files.writeString(file, String.valueOf(text));
            System.out.println("info[" + tag + "]: class histogram " + moment + " written to " + file);
        } catch (JMException | IOException e) {
            System.out.println("info[" + tag + "]: no class histogram " + moment + ": " + e);
        }
    }
}
