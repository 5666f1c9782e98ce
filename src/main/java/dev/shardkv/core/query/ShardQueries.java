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

/** Runs a query on one table of a shard (its leader or a replica), page by page, until done or the deadline. */
public final class ShardQueries {
    /** Items examined per DynamoDB Scan page. */
    static final int PAGE = 500;

    private ShardQueries() {
    }

    public static ShardQueryResult run(ShardQuery q, Scannable table, boolean consistent, Clock clock) {
        return switch (q.kind()) {
            case COUNT -> count(q, table, consistent, clock);
            case TOP -> top(q, table, consistent, clock);
            case SCAN -> scan(q, table, consistent, clock);
        };
    }

    private static ShardQueryResult count(ShardQuery q, Scannable table, boolean consistent, Clock clock) {
        long count = 0;
        String after = null;
        do {
            Scannable.CountPage page = table.countLive(q.prefix(), after, PAGE * 4, consistent);
            count += page.count();
            after = page.lastEvaluatedKey();
        } while (after != null && clock.millis() < q.deadline());
        return new ShardQueryResult(List.of(), count, null, after == null);
    }

    private static ShardQueryResult top(ShardQuery q, Scannable table, boolean consistent, Clock clock) {
        Comparator<Ranked> byNumber = Comparator.comparing(Ranked::number);
        PriorityQueue<Ranked> best = new PriorityQueue<>(byNumber); // the smallest of the best on top
        String after = null;
        do {
            Scannable.ScanPage page = table.scanLive(q.prefix(), after, PAGE, consistent);
            for (StoredItem item : page.items()) {
                JsonNode field = Filter.at(ValueCodec.tree(item.value()), q.field());
                if (field == null || !field.isNumber()) {
                    continue;
                }
                best.add(new Ranked(item, field.decimalValue()));
                if (best.size() > q.limit()) {
                    best.poll();
                }
            }
            after = page.lastEvaluatedKey();
        } while (after != null && clock.millis() < q.deadline());
        List<Ranked> ranked = new ArrayList<>(best);
        ranked.sort(byNumber.reversed().thenComparing(r -> r.item().key()));
        return new ShardQueryResult(ranked.stream().map(Ranked::item).toList(), ranked.size(), null, after == null);
    }

    private static ShardQueryResult scan(ShardQuery q, Scannable table, boolean consistent, Clock clock) {
        List<StoredItem> matches = new ArrayList<>();
        String after = q.after();
        String last;
        boolean exhausted;
        outer:
        while (true) {
            // Read about as many items as the matches still wanted could need, not a whole page each time.
            int pageSize = Math.min(PAGE, Math.max(32, (q.limit() - matches.size()) * 4));
            Scannable.ScanPage page = table.scanLive(q.prefix(), after, pageSize, consistent);
            for (StoredItem item : page.items()) {
                if (q.filter() == null || q.filter().matches(ValueCodec.tree(item.value()))) {
                    matches.add(item);
                    if (matches.size() == q.limit()) {
                        last = item.key();
                        exhausted = false;
                        break outer;
                    }
                }
            }
            after = page.lastEvaluatedKey();
            if (after == null) {
                last = null;
                exhausted = true;
                break;
            }
            if (clock.millis() >= q.deadline()) {
                last = after; // resume from where the scan got to
                exhausted = false;
                return new ShardQueryResult(matches, matches.size(), last, false);
            }
        }
        return new ShardQueryResult(matches, matches.size(), exhausted ? null : last, true);
    }

    /** An item with the number it is ranked by. */
    private record Ranked(StoredItem item, BigDecimal number) {
    }
}
