package dev.shardkv.core.reshard;

/**
 * How far an operation has got: {@code copied} items of about {@code total} (an estimate, such as a
 * table's item count, so copied may pass it), and {@code behind}, the source changes not yet applied to
 * the targets.
 */
public record Progress(long copied, long total, long behind) {
    public static final Progress NONE = new Progress(0, 0, 0);

    public Progress {
        if (copied < 0 || total < 0 || behind < 0) {
            throw new IllegalArgumentException("progress counts are never negative: " + copied + "/" + total + "/" + behind);
        }
    }

    /** Items per second, from a count and the milliseconds it took; 0 when no time has passed. */
    public static double rate(long items, long elapsedMs) {
        return elapsedMs <= 0 ? 0 : items * 1000.0 / elapsedMs;
    }

    /**
     * Milliseconds until the targets have everything: the rest of the copy at {@code copyRate}, then what
     * is behind at {@code drainRate} (changes applied per second less changes made per second). Null when
     * a rate that is needed is not positive: no estimate yet, or the targets are not catching up.
     */
    public Long etaMs(double copyRate, double drainRate) {
        long left = Math.max(0, total - copied);
        if (left > 0 && !(copyRate > 0) || behind > 0 && !(drainRate > 0)) {
            return null;
        }
        double seconds = (left == 0 ? 0 : left / copyRate) + (behind == 0 ? 0 : behind / drainRate);
        return (long) Math.ceil(seconds * 1000);
    }
}
