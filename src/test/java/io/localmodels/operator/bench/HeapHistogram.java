package io.localmodels.operator.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The live heap by a class histogram (what {@code jcmd <pid> GC.class_histogram} prints: a full GC first, then every
 * live object counted), and the histogram itself when {@code bench.histogram} names a file prefix, so the
 * benchmark's heap figure can be broken down by class at the moment it is taken. Counted objects, not the heap's
 * "used" after {@code System.gc()}: a running fleet allocates between the collection and the reading, and in one run
 * at N = 1000 the two readings of the operator's heap differed by 15 KiB per model.
 */
final class HeapHistogram {
    private HeapHistogram() {
    }

    /**
     * Live bytes once no object of {@code gone} is reachable any more: a closed operator's threads end and its last
     * calls in flight complete a moment after {@code close} returns, and until then they keep all it held. Counted
     * again every half second, for at most a minute; said when it took a while or never happened.
     */
    static long liveOnce(String tag, String moment, Class<?> gone) throws InterruptedException {
        Pattern line = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+\\d+\\s+" + Pattern.quote(gone.getName()) + "\\s*$");
        long start = System.nanoTime();
        while (true) {
            String text = histogram();
            boolean reachable = line.matcher(text).find();
            if (!reachable || System.nanoTime() - start > 60e9) {
                double waited = (System.nanoTime() - start) / 1e9;
                if (reachable || waited > 1) {
                    System.out.printf(java.util.Locale.ROOT, "info[%s]: heap %s counted after %.1f s, %s%n", tag, moment,
                            waited, reachable ? gone.getSimpleName() + " still reachable" : "once no " + gone.getSimpleName()
                                    + " was reachable");
                }
                return total(tag, moment, text);
            }
            Thread.sleep(500);
        }
    }

    /** Live bytes on the heap now; writes {@code <prefix>-<tag>-<moment>.txt} too if {@code bench.histogram} is set. */
    static long live(String tag, String moment) {
        return total(tag, moment, histogram());
    }

    private static String histogram() {
        String text;
        try {
            // the DiagnosticCommand MBean runs jcmd's GC.class_histogram in-process
            text = String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()}));
        } catch (JMException e) {
            throw new IllegalStateException("no class histogram in this JVM: " + e, e);
        }
        return text;
    }

    private static long total(String tag, String moment, String text) {
        String prefix = System.getProperty("bench.histogram");
        if (prefix != null && !prefix.isBlank()) {
            Path file = Path.of(prefix + "-" + tag + "-" + moment + ".txt");
            try {
                Files.writeString(file, text);
                System.out.println("info[" + tag + "]: class histogram " + moment + " written to " + file);
            } catch (IOException e) {
                System.out.println("info[" + tag + "]: class histogram " + moment + " not written: " + e);
            }
        }
        Matcher total = TOTAL.matcher(text);
        if (!total.find()) {
            throw new IllegalStateException("class histogram without its Total line");
        }
        return Long.parseLong(total.group(1));
    }

    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");
}
