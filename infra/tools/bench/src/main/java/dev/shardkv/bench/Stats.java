package dev.shardkv.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/** Percentiles of recorded milliseconds (HdrHistogram), as one line. */
final class Stats {
    private final Histogram histogram = new Histogram(3_600_000_000L, 3);
    /** Percentiles given by an external tool (wrk), in microseconds: p50, p90, p99, max, count. */
    private long[] fixed;

    synchronized void fixed(long p50, long p90, long p99, long max, long count) {
        fixed = new long[] {p50, p90, p99, max, count};
    }

    synchronized void recordMicros(long micros) {
        histogram.recordValue(Math.max(0, micros));
    }

    synchronized long count() {
        return histogram.getTotalCount();
    }

    synchronized String millis() {
        if (fixed != null) {
            return "n=%d  p50=%.1f ms  p90=%.1f ms  p99=%.1f ms  max=%.1f ms".formatted(fixed[4], fixed[0] / 1000.0,
                    fixed[1] / 1000.0, fixed[2] / 1000.0, fixed[3] / 1000.0);
        }
        return "n=%d  p50=%.1f ms  p90=%.1f ms  p99=%.1f ms  max=%.1f ms".formatted(histogram.getTotalCount(),
                histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(90) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0);
    }

    /** The figures of {@link #millis()} as JSON numbers: n, p50Ms, p90Ms, p99Ms, maxMs. */
    synchronized ObjectNode json(ObjectNode into) {
        if (fixed != null) {
            return into.put("n", fixed[4]).put("p50Ms", fixed[0] / 1000.0).put("p90Ms", fixed[1] / 1000.0)
                    .put("p99Ms", fixed[2] / 1000.0).put("maxMs", fixed[3] / 1000.0);
        }
        return into.put("n", histogram.getTotalCount()).put("p50Ms", histogram.getValueAtPercentile(50) / 1000.0)
                .put("p90Ms", histogram.getValueAtPercentile(90) / 1000.0)
                .put("p99Ms", histogram.getValueAtPercentile(99) / 1000.0).put("maxMs", histogram.getMaxValue() / 1000.0);
    }

    /** A percentile in ms; from wrk's figures, only p50, p90 and p99 are known. */
    synchronized double percentileMillis(double p) {
        if (fixed != null) {
            int at = p == 50 ? 0 : p == 90 ? 1 : p == 99 ? 2 : -1;
            if (at < 0) {
                throw new IllegalArgumentException("wrk gives p50, p90 and p99, not p" + p);
            }
            return fixed[at] / 1000.0;
        }
        return histogram.getValueAtPercentile(p) / 1000.0;
    }

    synchronized double maxMillis() {
        return histogram.getMaxValue() / 1000.0;
    }
}
