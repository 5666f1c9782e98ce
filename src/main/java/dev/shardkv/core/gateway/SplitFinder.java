package dev.shardkv.core.gateway;

import dev.shardkv.core.topology.RoutingKeys;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Where to split a shard so that its requests fall evenly on both halves, found as CockroachDB's load-based
 * splitter finds it (its unweighted finder): a reservoir of {@link #SAMPLES} keys, a uniform sample of the
 * keys the shard was asked for, each a candidate split point with two counters of the requests recorded
 * since it joined: {@code left}, under its routing key, and {@code right}, at or over it (a split at a key
 * puts that key in the right half). The best candidate balances them best; it is suggested only when it
 * has seen {@link #MIN_COUNTED} requests and each side has at least {@link #MIN_SIDE} of them. A candidate
 * also counts the requests for its own routing key: one that carries {@link #HOT_KEY_SHARE} or more of the
 * shard's requests is a hot key, which no split can spread. Not thread-safe: its owner locks.
 */
final class SplitFinder {
    /** Candidates kept (CockroachDB keeps 20). */
    static final int SAMPLES = 20;
    /** Requests a candidate must have counted before it is judged (CockroachDB: 100). */
    static final int MIN_COUNTED = 100;
    /**
     * The smaller side's share of a candidate's requests, at least. CockroachDB, which splits by itself, asks
     * |left - right| / (left + right) under 0.25 (each side over 37.5 %); this only suggests, to a person, and a
     * 25/75 split still takes a quarter of the shard's load elsewhere.
     */
    static final double MIN_SIDE = 0.25;
    /** One routing key with this share of a shard's requests or more is a hot key: a split cannot help it. */
    static final double HOT_KEY_SHARE = 0.5;

    private final RandomGenerator random;
    private final Sample[] samples = new Sample[SAMPLES];
    private long recorded;

    private static final class Sample {
        final String key;
        final String routingKey;
        long left;
        long right;
        long same;

        Sample(String key, String routingKey) {
            this.key = key;
            this.routingKey = routingKey;
        }

        long counted() {
            return left + right;
        }
    }

    /** A candidate's standing: its key, the requests on each side, and those for its own routing key. */
    record Candidate(String key, String routingKey, long left, long right, long same) {
    }

    SplitFinder(RandomGenerator random) {
        this.random = random;
    }

    /** A request for a key: it may join the sample (replacing one at random), and every other candidate counts it. */
    void record(String key, String routingKey) {
        long seen = recorded++;
        int joins = seen < SAMPLES ? (int) seen : pick(seen);
        for (int i = 0; i < SAMPLES; i++) {
            Sample s = samples[i];
            if (i == joins || s == null) {
                continue;
            }
            int side = RoutingKeys.compare(routingKey, s.routingKey);
            if (side < 0) {
                s.left++;
            } else {
                s.right++;
                if (side == 0) {
                    s.same++;
                }
            }
        }
        if (joins >= 0) {
            samples[joins] = new Sample(key, routingKey);
        }
    }

    /** Reservoir sampling: the {@code seen}-th request (0-based) takes a place with probability SAMPLES / (seen + 1). */
    private int pick(long seen) {
        long j = random.nextLong(seen + 1);
        return j < SAMPLES ? (int) j : -1;
    }

    long recorded() {
        return recorded;
    }

    /**
     * The key (as a client sent it) whose routing key carries at least {@link #HOT_KEY_SHARE} of the requests,
     * as counted by a candidate that has seen enough of them.
     */
    Optional<String> hotKey() {
        Sample best = null;
        for (Sample s : samples) {
            if (s != null && s.counted() >= MIN_COUNTED && s.same >= HOT_KEY_SHARE * s.counted()
                    && (best == null || s.same * best.counted() > best.same * s.counted())) {
                best = s;
            }
        }
        return Optional.ofNullable(best).map(s -> s.key);
    }

    /**
     * The routing key to split at: of the candidates that have seen enough requests, that the shard would
     * take as a split point ({@code allowed}) and that leave each side at least {@link #MIN_SIDE}, the one
     * whose sides differ least. Empty when none does.
     */
    Optional<String> splitKey(Predicate<String> allowed) {
        Sample best = null;
        for (Sample s : samples) {
            if (s == null || s.counted() < MIN_COUNTED || Math.min(s.left, s.right) < MIN_SIDE * s.counted()) {
                continue;
            }
            if ((best == null || imbalance(s) < imbalance(best)) && allowed.test(s.routingKey)) {
                best = s;
            }
        }
        return Optional.ofNullable(best).map(s -> s.routingKey);
    }

    private static double imbalance(Sample s) {
        return Math.abs(s.left - s.right) / (double) s.counted();
    }

    /** The candidates as they stand, for tests and diagnostics. */
    java.util.List<Candidate> candidates() {
        java.util.List<Candidate> out = new java.util.ArrayList<>();
        for (Sample s : samples) {
            if (s != null) {
                out.add(new Candidate(s.key, s.routingKey, s.left, s.right, s.same));
            }
        }
        return out;
    }
}
