package dev.shardkv.bench;

import org.HdrHistogram.Histogram;

/** Percentiles of recorded milliseconds (HdrHistogram), as one line. */
final class Stats {
    private final Histogram histogram = new Histogram(3_600_000_000L, 3);

    synchronized void recordMicros(long micros) {
        histogram.recordValue(Math.max(0, micros));
    }

    synchronized long count() {
        return histogram.getTotalCount();
    }

    synchronized String millis() {
        return "n=%d  p50=%.1f ms  p90=%.1f ms  p99=%.1f ms  max=%.1f ms".formatted(histogram.getTotalCount(),
                histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(90) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0);
    }

    synchronized double percentileMillis(double p) {
        return histogram.getValueAtPercentile(p) / 1000.0;
    }

    synchronized double maxMillis() {
        return histogram.getMaxValue() / 1000.0;
    }
}
