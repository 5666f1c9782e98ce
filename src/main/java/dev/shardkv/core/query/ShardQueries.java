package dev.shardkv.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.kv.ValueCodec;
import dev.shardkv.core.store.Scannable;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Runs a query on one table of a shard (its leader or a replica), page by page, until done or the
 * deadline. Every page waits for a {@link ScanLanes scan lane}, so queries never crowd out the
 * key-value path. Memory stays bounded: a top holds at most n items, a scan page at most
 * {@link #PAGE_BYTES} of values.
 */
public final class ShardQueries {
    /** Items examined per DynamoDB Scan page: short pages keep each lane's turn short. */
    static final int PAGE = 100;
    /** A scan page stops once its values reach this many bytes (the cursor resumes after it). */
    public static final long PAGE_BYTES = 4L * 1024 * 1024;

    private ShardQueries() {
    }

    public static ShardQueryResult run(ShardQuery q, Scannable table, boolean consistent, Clock clock) {
        return run(q, table, consistent, clock, ScanLanes.SHARED);
    }

    public static ShardQueryResult run(ShardQuery q, Scannable table, boolean consistent, Clock clock,
            ScanLanes lanes) {
        Pager pager = new Pager(table, consistent, clock, lanes, q.deadline());
        try {
            return switch (q.kind()) {
                case COUNT -> count(q, pager);
                case TOP -> top(q, pager);
                case SCAN -> scan(q, pager);
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ShardQueryResult(List.of(), 0, q.after(), false);
        }
    }

    private static ShardQueryResult count(ShardQuery q, Pager pager) throws InterruptedException {
        long count = 0;
        String after = null;
        do {
            Scannable.CountPage page = pager.count(q.prefix(), after);
            if (page == null) {
                return new ShardQueryResult(List.of(), count, null, false);
            }
            count += page.count();
            after = page.lastEvaluatedKey();
        } while (after != null && pager.beforeDeadline());
        return new ShardQueryResult(List.of(), count, null, after == null);
    }

    private static ShardQueryResult top(ShardQuery q, Pager pager) throws InterruptedException {
        Comparator<Ranked> byNumber = Comparator.comparing(Ranked::number);
        PriorityQueue<Ranked> best = new PriorityQueue<>(byNumber); // the smallest of the best on top
        List<String> undecodable = new ArrayList<>();
        String after = null;
        boolean complete = true;
        do {
            Scannable.ScanPage page = pager.scan(q.prefix(), after, PAGE);
            if (page == null) {
                complete = false;
                break;
            }
            for (StoredItem item : page.items()) {
                JsonNode value = ValueCodec.treeOrNull(item.value());
                if (value == null || ValueCodec.unpairedSurrogate(item.key()) >= 0) {
                    undecodable.add(printable(item.key()));
                    continue;
                }
                JsonNode field = Filter.at(value, q.field());
                if (field == null || !field.isNumber()) {
                    continue;
                }
                best.add(new Ranked(item, field.decimalValue()));
                if (best.size() > q.limit()) {
                    best.poll();
                }
            }
            after = page.lastEvaluatedKey();
        } while (after != null && pager.beforeDeadline());
        List<Ranked> ranked = new ArrayList<>(best);
        ranked.sort(byNumber.reversed().thenComparing(r -> r.item().key()));
        return new ShardQueryResult(ranked.stream().map(Ranked::item).toList(), ranked.size(), null,
                complete && after == null, undecodable);
    }

    private static ShardQueryResult scan(ShardQuery q, Pager pager) throws InterruptedException {
        List<StoredItem> matches = new ArrayList<>();
        List<String> undecodable = new ArrayList<>();
        long bytes = 0;
        String after = q.after();
        while (true) {
            // Read about as many items as the matches still wanted could need, not a whole page each time.
            int pageSize = Math.min(PAGE, Math.max(32, (q.limit() - matches.size()) * 4));
            Scannable.ScanPage page = pager.scan(q.prefix(), after, pageSize);
            if (page == null) {
                return new ShardQueryResult(matches, matches.size(), after, false, undecodable); // no lane in time
            }
            for (StoredItem item : page.items()) {
                Match match = match(q.filter(), item);
                if (match == Match.UNDECODABLE) {
                    undecodable.add(printable(item.key()));
                } else if (match == Match.YES) {
                    matches.add(item);
                    bytes += item.value().length();
                    if (matches.size() == q.limit() || bytes >= PAGE_BYTES) {
                        // Resume after this item: the rest of the DynamoDB page is read again next time.
                        return new ShardQueryResult(matches, matches.size(), item.key(), true, undecodable);
                    }
                }
            }
            after = page.lastEvaluatedKey();
            if (after == null) {
                return new ShardQueryResult(matches, matches.size(), null, true, undecodable);
            }
            if (!pager.beforeDeadline()) {
                return new ShardQueryResult(matches, matches.size(), after, false, undecodable); // resume from here
            }
        }
    }

    private enum Match { YES, NO, UNDECODABLE }

    private static Match match(Filter filter, StoredItem item) {
        if (ValueCodec.unpairedSurrogate(item.key()) >= 0) {
            return Match.UNDECODABLE;
        }
        if (filter == null) {
            return ValueCodec.decodable(item.value()) ? Match.YES : Match.UNDECODABLE;
        }
        JsonNode value = ValueCodec.treeOrNull(item.value());
        if (value == null) {
            return Match.UNDECODABLE;
        }
        return filter.matches(value) ? Match.YES : Match.NO;
    }

    /** Reads pages of the table, one scan lane per page. Null when no lane came free before the deadline. */
    private record Pager(Scannable table, boolean consistent, Clock clock, ScanLanes lanes, long deadline) {
        boolean beforeDeadline() {
            return clock.millis() < deadline;
        }

        Scannable.ScanPage scan(String prefix, String after, int size) throws InterruptedException {
            if (!lanes.enter(deadline, clock.millis())) {
                return null;
            }
            try {
                return table.scanLive(prefix, after, size, consistent);
            } finally {
                lanes.leave();
            }
        }

        Scannable.CountPage count(String prefix, String after) throws InterruptedException {
            if (!lanes.enter(deadline, clock.millis())) {
                return null;
            }
            try {
                return table.countLive(prefix, after, PAGE * 5, consistent);
            } finally {
                lanes.leave();
            }
        }
    }

    /** A key as it can be reported: an unpaired surrogate (only a forged item has one) shown as U+FFFD. */
    static String printable(String key) {
        StringBuilder text = new StringBuilder(key);
        for (int i; (i = ValueCodec.unpairedSurrogate(text)) >= 0; ) {
            text.setCharAt(i, '\uFFFD');
        }
        return text.toString();
    }

    /** An item with the number it is ranked by. */
    private record Ranked(StoredItem item, BigDecimal number) {
    }
}
