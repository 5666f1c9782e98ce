package dev.shardkv.embedded;

import dev.shardkv.dynamodb.ItemAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * AWS's shape of one leader's stream, simulated over DynamoDB Local's single stream shard: records are spread over
 * {@code shards} virtual stream shards by a hash of their key, and each virtual shard over {@code parallelization}
 * lanes by another hash (as the event source mapping's ParallelizationFactor does). Every lane delivers its records
 * in order, in its own thread, concurrently with the others: a key's records keep their order, nothing else does. A
 * virtual shard given a delay delivers each record no sooner than that long after it was read (a slow or held-back
 * stream shard).
 */
public final class VirtualShards implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualShards.class);

    /**
     * @param shards          virtual stream shards per leader (1: the stream as DynamoDB Local has it)
     * @param parallelization concurrent lanes per virtual shard (the mapping's ParallelizationFactor, 1 to 10)
     * @param delays          by virtual shard (0-based): how long its records wait before they are delivered
     */
    public record Shape(int shards, int parallelization, Map<Integer, Duration> delays, Map<Integer, Duration> splits) {
        public static final Shape ONE = new Shape(1, 1, Map.of());

        public Shape(int shards, int parallelization, Map<Integer, Duration> delays) {
            this(shards, parallelization, delays, Map.of());
        }

        public Shape {
            if (shards < 1 || shards > 64) {
                throw new IllegalArgumentException("stream shards must be 1 to 64, not " + shards);
            }
            if (parallelization < 1 || parallelization > 10) {
                throw new IllegalArgumentException("the parallelization factor must be 1 to 10, not " + parallelization);
            }
            delays = Map.copyOf(delays);
            for (Integer shard : delays.keySet()) {
                if (shard < 0 || shard >= shards) {
                    throw new IllegalArgumentException("a delay names virtual stream shard " + shard + " of " + shards);
                }
            }
            splits = Map.copyOf(splits);
            for (Integer shard : splits.keySet()) {
                if (shard < 0 || shard >= shards) {
                    throw new IllegalArgumentException("a split names virtual stream shard " + shard + " of " + shards);
                }
            }
        }

        /** Splits as a user writes them: {@code shard@after[,shard@after]} ({@code 1@30s}: shard 1 splits 30 s in). */
        public static Map<Integer, Duration> splits(String text) {
            return parse(text, "@", "stream split", "shard@after, as in 1@30s");
        }

        /** Delays as a user writes them: {@code shard=delay[,shard=delay]}, a delay in ms or s ({@code 2=3s,0=500ms}). */
        public static Map<Integer, Duration> delays(String text) {
            return parse(text, "=", "stream delay", "shard=delay, as in 2=3s or 0=500ms");
        }

        private static Map<Integer, Duration> parse(String text, String separator, String what, String form) {
            Map<Integer, Duration> parsed = new java.util.TreeMap<>();
            java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(
                    "\\s*(\\d+)\\s*" + java.util.regex.Pattern.quote(separator) + "\\s*(\\d+)(ms|s)\\s*");
            for (String part : text.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                java.util.regex.Matcher m = pattern.matcher(part);
                if (!m.matches()) {
                    throw new IllegalArgumentException(what + " \"" + part.strip() + "\" is not " + form);
                }
                long n = Long.parseLong(m.group(2));
                parsed.put(Integer.parseInt(m.group(1)), m.group(3).equals("s") ? Duration.ofSeconds(n) : Duration.ofMillis(n));
            }
            return parsed;
        }

        /** Whether records go through lanes at all (else the pump delivers them itself, in order, as one lane). */
        public boolean simulated() {
            return shards * parallelization > 1 || !delays.isEmpty() || !splits.isEmpty();
        }

        /** Every lane's name: {@code vs<shard>/<lane>}. */
        public Set<String> lanes() {
            Set<String> names = new LinkedHashSet<>();
            for (int s = 0; s < shards; s++) {
                for (int l = 0; l < parallelization; l++) {
                    names.add(name(s, l));
                }
            }
            return names;
        }

        /** The virtual stream shard of a key. */
        public int shardOf(String key) {
            return Math.floorMod(mix(key.hashCode()), shards);
        }

        /** The lane of a key: its virtual shard, then one of that shard's parallel lanes. */
        public String laneOf(String key) {
            int h = mix(key.hashCode());
            return name(Math.floorMod(h, shards), Math.floorMod(mix(h ^ 0x9e3779b9), parallelization));
        }

        private static String name(int shard, int lane) {
            return "vs" + shard + "/" + lane;
        }

        /** The murmur3 finalizer: String.hashCode alone puts similar keys next to each other. */
        static int mix(int h) {
            h ^= h >>> 16;
            h *= 0x85ebca6b;
            h ^= h >>> 13;
            h *= 0xc2b2ae35;
            return h ^ (h >>> 16);
        }
    }

    /** Records read together from one real stream shard: done once every lane has delivered its part. */
    record Ticket(String streamShard, String lastSequenceNumber, AtomicInteger left) {
    }

    private record Entry(Record record, Ticket ticket, long due) {
    }

    /** Told when lanes start (a shard's children) and when one ends (a parent, every record of it delivered). */
    interface Lineage {
        Lineage NONE = new Lineage() {
        };

        default void opened(java.util.Set<String> lanes) {
        }

        default void closed(String lane) {
        }
    }

    private final Shape shape;
    private final int batchSize;
    private final Function<String, BatchDelivery> delivery;
    private final BooleanSupplier delivering;
    private final Lineage lineage;
    private final String name;
    private final long startedAt = System.currentTimeMillis();
    private final Map<String, Lane> lanes = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final java.util.Set<Integer> split = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<Integer> splitRequests = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Deque<Ticket> tickets = new ArrayDeque<>();
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param delivery   the delivery of each lane (each calls the replicator with its lane)
     * @param delivering false while the pump is paused or stopping: lanes hold their records
     * @param lineage    told of lanes that start and end as virtual shards split
     */
    VirtualShards(Shape shape, int batchSize, Function<String, BatchDelivery> delivery, BooleanSupplier delivering,
            Lineage lineage, String name) {
        this.shape = shape;
        this.batchSize = batchSize;
        this.delivery = delivery;
        this.delivering = delivering;
        this.lineage = lineage;
        this.name = name;
        for (int s = 0; s < shape.shards(); s++) {
            start("vs" + s, shape.delays().getOrDefault(s, Duration.ZERO).toMillis(), List.of());
        }
    }

    private List<Lane> start(String shard, long delayMs, List<Lane> parents) {
        List<Lane> started = new ArrayList<>();
        for (int l = 0; l < shape.parallelization(); l++) {
            String lane = shard + "/" + l;
            Lane next = new Lane(lane, delayMs, delivery.apply(lane), delivering, parents);
            lanes.put(lane, next);
            started.add(next);
            threads.add(Thread.ofVirtual().name(name + "-" + lane).start(next::run));
        }
        return started;
    }

    /** The lane of a key now: its virtual shard (or, once that split, one of its two children), then a parallel lane. */
    String laneOf(String key) {
        int h = Shape.mix(key.hashCode());
        int shard = Math.floorMod(h, shape.shards());
        String id = "vs" + shard + (split.contains(shard) ? ((Shape.mix(h ^ 0x7f4a7c15) & 1) == 0 ? "a" : "b") : "");
        return id + "/" + Math.floorMod(Shape.mix(h ^ 0x9e3779b9), shape.parallelization());
    }

    /** Splits a virtual shard at the pump's next look (any thread may ask). */
    void requestSplit(int shard) {
        if (shard < 0 || shard >= shape.shards()) {
            throw new IllegalArgumentException("no virtual stream shard " + shard + " of " + shape.shards());
        }
        splitRequests.add(shard);
    }

    /**
     * Splits the shards whose time has come (the pump's thread, between two reads, so that every record read before
     * goes to the parent and every one after to a child). As a partition split does on AWS: the parent's lanes take
     * nothing more and end once they have delivered what they hold; the children's lanes start at once but deliver
     * nothing before their parent's lanes have ended (parents before children), and have no delay.
     */
    private void splitDue() {
        long now = System.currentTimeMillis();
        shape.splits().forEach((shard, after) -> {
            if (now - startedAt >= after.toMillis()) {
                splitRequests.add(shard);
            }
        });
        for (Integer shard : List.copyOf(splitRequests)) {
            splitRequests.remove(shard);
            if (!split.add(shard)) {
                continue;
            }
            List<Lane> parents = lanes.values().stream().filter(l -> l.name.startsWith("vs" + shard + "/")).toList();
            java.util.Set<String> children = new java.util.LinkedHashSet<>();
            for (String child : List.of("vs" + shard + "a", "vs" + shard + "b")) {
                start(child, 0, parents).forEach(l -> children.add(l.name));
            }
            lineage.opened(children); // before a parent can end: the frontier must wait for the children
            parents.forEach(Lane::closing);
            LOG.info("{}: virtual stream shard vs{} split into {}", name, shard, children);
        }
    }

    /** Hands each record to its key's lane (the pump's thread). */
    void dispatch(String streamShard, List<Record> records) {
        splitDue();
        Ticket ticket = new Ticket(streamShard, records.get(records.size() - 1).dynamodb().sequenceNumber(),
                new AtomicInteger(records.size()));
        synchronized (tickets) {
            tickets.add(ticket);
        }
        long now = System.currentTimeMillis();
        for (Record record : records) {
            Lane lane = lanes.get(laneOf(record.dynamodb().keys().get(ItemAttributes.PK).s()));
            lane.add(new Entry(record, ticket, now + lane.delayMs));
        }
    }

    /** The oldest batches every lane has delivered, in read order: the stream position may move past them. */
    List<Ticket> done() {
        List<Ticket> done = new ArrayList<>();
        synchronized (tickets) {
            while (!tickets.isEmpty() && tickets.peek().left().get() == 0) {
                done.add(tickets.poll());
            }
        }
        return done;
    }

    /** Open lanes with nothing waiting and nothing being delivered: all they were handed is applied. */
    List<String> idle() {
        splitDue();
        List<String> idle = new ArrayList<>();
        lanes.forEach((name, lane) -> {
            if (lane.idle()) {
                idle.add(name);
            }
        });
        return idle;
    }

    /** The lanes that deliver now (ended ones left out). */
    java.util.Set<String> open() {
        java.util.Set<String> open = new java.util.TreeSet<>();
        lanes.forEach((name, lane) -> {
            if (!lane.closed) {
                open.add(name);
            }
        });
        return open;
    }

    long batches() {
        return lanes.values().stream().mapToLong(l -> l.delivery.batches()).sum();
    }

    long retries() {
        return lanes.values().stream().mapToLong(l -> l.delivery.retries()).sum();
    }

    /** Records handed to lanes and not delivered yet. */
    int waiting() {
        int n = 0;
        for (Lane lane : lanes.values()) {
            n += lane.size();
        }
        return n;
    }

    @Override
    public void close() {
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Lane {
        final String name;
        final long delayMs;
        final BatchDelivery delivery;
        final BooleanSupplier delivering;
        final List<Lane> parents;
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        final Deque<Entry> queue = new ArrayDeque<>();
        boolean busy;
        boolean closing; // a parent: takes nothing more, ends once empty
        volatile boolean closed;

        Lane(String name, long delayMs, BatchDelivery delivery, BooleanSupplier delivering, List<Lane> parents) {
            this.name = name;
            this.delayMs = delayMs;
            this.delivery = delivery;
            this.delivering = delivering;
            this.parents = parents;
        }

        void add(Entry entry) {
            lock.lock();
            try {
                queue.add(entry);
                changed.signal();
            } finally {
                lock.unlock();
            }
        }

        boolean idle() {
            lock.lock();
            try {
                return queue.isEmpty() && !busy && !closed;
            } finally {
                lock.unlock();
            }
        }

        int size() {
            lock.lock();
            try {
                return queue.size();
            } finally {
                lock.unlock();
            }
        }

        /** Becomes a parent: ends now if it holds nothing, else once it has delivered what it holds. */
        void closing() {
            boolean end;
            lock.lock();
            try {
                closing = true;
                end = queue.isEmpty() && !busy;
            } finally {
                lock.unlock();
            }
            if (end) {
                end();
            }
        }

        private void end() {
            closed = true;
            lineage.closed(name);
        }

        void run() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    List<Entry> batch = take();
                    boolean delivered = false;
                    try {
                        delivered = delivery.deliver(batch.stream().map(Entry::record).toList());
                    } catch (RuntimeException e) {
                        // As the pump does: the batch stays first in the lane, and the lane tries again.
                        LOG.warn("lane {} hit an error; delivering again", name, e);
                        Thread.sleep(500);
                    } finally {
                        finish(batch, delivered);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Waits for records that are due (for the pump to deliver, and for a child, for its parent's lanes to have
         * ended), then takes them, oldest first.
         */
        private List<Entry> take() throws InterruptedException {
            lock.lock();
            try {
                while (true) {
                    long now = System.currentTimeMillis();
                    Entry head = queue.peek();
                    if (head != null && head.due() <= now && delivering.getAsBoolean()
                            && parents.stream().allMatch(p -> p.closed)) {
                        List<Entry> batch = new ArrayList<>();
                        while (!queue.isEmpty() && queue.peek().due() <= now && batch.size() < batchSize) {
                            batch.add(queue.poll());
                        }
                        busy = true;
                        return batch;
                    }
                    long wait = head == null ? 1_000 : Math.max(1, Math.min(head.due() - now, 50));
                    changed.await(wait, TimeUnit.MILLISECONDS);
                }
            } finally {
                lock.unlock();
            }
        }

        /** A delivered batch counts for its tickets; one not delivered (the pump stopping) is replayed after a restart. */
        private void finish(List<Entry> batch, boolean delivered) {
            if (delivered) {
                batch.forEach(e -> e.ticket().left().decrementAndGet());
            }
            boolean end;
            lock.lock();
            try {
                if (!delivered) {
                    for (int i = batch.size() - 1; i >= 0; i--) {
                        queue.addFirst(batch.get(i)); // in order, first again
                    }
                }
                busy = false;
                end = closing && !closed && queue.isEmpty();
            } finally {
                lock.unlock();
            }
            if (end) {
                end();
            }
        }
    }
}
