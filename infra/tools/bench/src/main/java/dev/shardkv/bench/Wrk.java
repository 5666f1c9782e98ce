package dev.shardkv.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk as the load generator: a C client that leaves the CPU to the server under test (the JDK
 * HttpClient took a whole core of this 2-core machine at 600 requests/s). A Lua script makes the
 * read/write mix over the key space, tells reads from writes by their answer headers, and prints the
 * counts and latency percentiles on one line this class parses.
 */
final class Wrk {
    private static final Pattern RESULT = Pattern.compile(
            "SHARDKV reads=(\\d+) writes=(\\d+) throttled=(\\d+) bad=(\\d+) duration_us=(\\d+) p50_us=(\\d+) p90_us=(\\d+) p99_us=(\\d+) max_us=(\\d+)");
    private final URI base;
    private final int connections;
    private final Path script;

    private final int threads;

    private Wrk(URI base, int connections, Path script) {
        this.base = base;
        this.connections = connections;
        this.threads = Math.min(2, connections);
        this.script = script;
    }

    /**
     * GETs of one path only, unpaced (HttpBench): a 200 counts as a read, anything else as bad. The request is built
     * once, so wrk spends as little as it can per request on the cores the server shares.
     */
    static Wrk get(URI base, int connections, String path, String name) throws IOException {
        Path script = Path.of("infra/tools/bench/target/" + name + ".lua");
        Files.writeString(script, """
                local threads = {}
                local req = nil
                setup = function(thread) table.insert(threads, thread) end
                init = function(args)
                  reads, bad = 0, 0
                  req = wrk.format("GET", "%s") -- in init: wrk's host header is known by then
                end
                request = function() return req end
                response = function(status, headers, b)
                  if status == 200 then reads = reads + 1 else bad = bad + 1 end
                end
                done = function(summary, latency, requests)
                  local r, x = 0, 0
                  for _, t in ipairs(threads) do r = r + t:get("reads"); x = x + t:get("bad") end
                  io.write(string.format("SHARDKV reads=%%d writes=0 throttled=0 bad=%%d duration_us=%%d p50_us=%%d p90_us=%%d p99_us=%%d max_us=%%d\\n",
                    r, x + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
                    summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
                end
                """.formatted(path));
        return new Wrk(base, connections, script);
    }

    /** @param keyPrefix keys are {@code <a..z>-bench-<i>} (every range shard) or {@code <keyPrefix>-bench-<i>} (one shard) */
    Wrk(URI base, int connections, double readRatio, int rate, String[] keys, String keyPrefix) throws IOException {
        this.base = base;
        this.connections = connections;
        this.threads = Math.min(2, connections);
        this.script = Path.of("infra/tools/bench/target/load.lua");
        // Paced: wrk has no global rate, so each wrk thread keeps a schedule of rate/threads requests per
        // second on the wall clock (gettimeofday through LuaJIT's ffi) and delays each request to its slot.
        double periodMs = rate > 0 ? threads * 1000.0 / rate : 0;
        Files.writeString(script, """
                local keys = %d
                local key_prefix = "%s"
                local read_ratio = %s
                local period_ms = %s
                local ffi = require("ffi")
                ffi.cdef[[
                  typedef struct { long tv_sec; long tv_usec; } timeval;
                  int gettimeofday(timeval *tv, void *tz);
                ]]
                local tv = ffi.new("timeval")
                local function now_ms()
                  ffi.C.gettimeofday(tv, nil)
                  return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000
                end
                local next_slot = nil
                local threads = {}
                local body = '{"n":1,"pad":"0123456789abcdef0123456789abcdef"}'
                local json = { ["Content-Type"] = "application/json" }
                setup = function(thread) table.insert(threads, thread) end
                init = function(args)
                  reads, writes, throttled, bad = 0, 0, 0, 0
                  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
                end
                request = function()
                  local i = math.random(0, keys - 1)
                  local first = key_prefix
                  if first == "" then first = string.char(97 + i %% 26) end
                  local key = first .. "-bench-" .. i
                  if math.random() < read_ratio then
                    return wrk.format("GET", "/v1/kv/" .. key)
                  end
                  return wrk.format("PUT", "/v1/kv/" .. key, json, body)
                end
                response = function(status, headers, b)
                  if status == 429 then throttled = throttled + 1
                  elseif status >= 400 and status ~= 404 then bad = bad + 1
                  elseif headers["X-Served-By"] ~= nil then reads = reads + 1
                  elseif headers["X-Consistency-Token"] ~= nil then writes = writes + 1
                  else bad = bad + 1 end
                end
                if period_ms > 0 then
                  delay = function()
                    local now = now_ms()
                    if next_slot == nil then next_slot = now end
                    next_slot = next_slot + period_ms
                    local wait = next_slot - now
                    if wait < 0 then return 0 end
                    return wait
                  end
                end
                done = function(summary, latency, requests)
                  local r, w, th, x = 0, 0, 0, 0
                  for _, t in ipairs(threads) do
                    r = r + t:get("reads"); w = w + t:get("writes"); th = th + t:get("throttled"); x = x + t:get("bad")
                  end
                  io.write(string.format("SHARDKV reads=%%d writes=%%d throttled=%%d bad=%%d duration_us=%%d p50_us=%%d p90_us=%%d p99_us=%%d max_us=%%d\\n",
                    r, w, th, x + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
                    summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
                end
                """.formatted(keys.length, keyPrefix, Double.toString(readRatio), Double.toString(periodMs)));
    }

    Driver.Phase run(Duration duration) throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--timeout", "10s", "-s", script.toString(), base.toString() + "/").redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!wrk.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
            wrk.destroyForcibly();
            throw new IllegalStateException("wrk failed:\n" + output);
        }
        Matcher m = RESULT.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no result line from wrk:\n" + output);
        }
        Stats latency = new Stats();
        // wrk reports percentiles, not samples: keep them as the phase's latency figures.
        latency.fixed(Long.parseLong(m.group(6)), Long.parseLong(m.group(7)), Long.parseLong(m.group(8)),
                Long.parseLong(m.group(9)), Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)));
        return new Driver.Phase(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)), Long.parseLong(m.group(5)) / 1e6, latency);
    }
}
