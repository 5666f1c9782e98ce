package dev.shardkv.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardkv.bench.HttpBench.Measured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an http run prints. Per route, over both rounds: requests/s (all requests over all measured seconds), latency
 * (the mean of the rounds' wrk percentiles: wrk gives percentiles, not samples) and the runtime's CPU per request,
 * raw and net of its idle background work.
 */
record HttpReport(HttpBench b, HttpBench.Answer answer, double idleCpuNanosPerS, List<Measured> phases) {

    private List<Measured> of(String target) {
        return phases.stream().filter(m -> m.target().equals(target)).toList();
    }

    double requestsPerS(String target) {
        return of(target).stream().mapToLong(m -> m.phase().reads()).sum()
                / of(target).stream().mapToDouble(m -> m.phase().seconds()).sum();
    }

    double latencyMs(String target, int percentile) {
        return of(target).stream().mapToDouble(m -> m.phase().latency().percentileMillis(percentile)).average().orElse(-1);
    }

    double cpuMicrosPerRequest(String target) {
        return of(target).stream().mapToLong(Measured::cpuNanos).sum() / 1e3
                / Math.max(1, of(target).stream().mapToLong(Measured::requests).sum());
    }

    /** Without the share of the runtime's idle work that fell in the phases. */
    double netCpuMicrosPerRequest(String target) {
        double idleNanos = idleCpuNanosPerS * of(target).stream().mapToDouble(m -> m.phase().seconds()).sum();
        return (of(target).stream().mapToLong(Measured::cpuNanos).sum() - idleNanos) / 1e3
                / Math.max(1, of(target).stream().mapToLong(Measured::requests).sum());
    }

    long errors(String target) {
        return of(target).stream().mapToLong(m -> m.phase().errors()).sum();
    }

    String text() {
        StringBuilder out = new StringBuilder();
        out.append("http (client: wrk): %s measured after %s warm-up per phase, %d connections; GET /v1/kv/%s (eventual)"
                .formatted(seconds(b.duration), seconds(b.warmup), b.concurrency, HttpBench.KEY)
                + " vs GET %s, both %d bytes of %s%n".formatted(HttpBench.BARE, answer.body().length, answer.contentType()));
        out.append("  runtime idle (%s after the phases): %.1f ms CPU per s%n".formatted(seconds(HttpBench.IDLE),
                idleCpuNanosPerS / 1e6));
        for (Measured m : phases) {
            out.append("  round %d %-4s: %7.0f req/s, %d errors; latency %s; runtime CPU %.1f µs/request%n".formatted(
                    m.round(), m.target(), m.phase().perSecond(m.phase().reads()), m.phase().errors(),
                    m.phase().latency().millis(), m.cpuMicrosPerRequest()));
        }
        for (String t : new String[] {"api", "bare"}) {
            out.append("  %-4s: %7.0f req/s, p50 %.2f ms, p99 %.2f ms, CPU %.1f µs/request (%.1f net of idle), %d errors%n"
                    .formatted(t, requestsPerS(t), latencyMs(t, 50), latencyMs(t, 99), cpuMicrosPerRequest(t),
                            netCpuMicrosPerRequest(t), errors(t)));
        }
        out.append("  ratio api/bare: %.2f of the requests/s, %.1fx the CPU per request (%.1f µs more per request)%n"
                .formatted(requestsPerS("api") / requestsPerS("bare"), cpuMicrosPerRequest("api") / cpuMicrosPerRequest("bare"),
                        cpuMicrosPerRequest("api") - cpuMicrosPerRequest("bare")));
        return out.toString().stripTrailing();
    }

    String json(List<String> command) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", String.join(" ", command));
        out.put("bodyBytes", answer.body().length);
        out.put("contentType", answer.contentType());
        for (String t : new String[] {"api", "bare"}) {
            out.put(t + "RequestsPerS", round(requestsPerS(t)));
            out.put(t + "LatencyP50Ms", round(latencyMs(t, 50)));
            out.put(t + "LatencyP99Ms", round(latencyMs(t, 99)));
            out.put(t + "CpuUsPerRequest", round(cpuMicrosPerRequest(t)));
            out.put(t + "NetCpuUsPerRequest", round(netCpuMicrosPerRequest(t)));
            out.put(t + "Errors", errors(t));
        }
        out.put("ratio", round(requestsPerS("api") / requestsPerS("bare")));
        out.put("cpuRatio", round(cpuMicrosPerRequest("api") / cpuMicrosPerRequest("bare")));
        out.put("idleCpuMsPerS", round(idleCpuNanosPerS / 1e6));
        out.put("phases", phases.stream().map(HttpReport::phase).toList());
        try {
            return new ObjectMapper().writeValueAsString(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> phase(Measured m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("target", m.target());
        out.put("round", m.round());
        out.put("requestsPerS", round(m.phase().perSecond(m.phase().reads())));
        out.put("latencyP50Ms", round(m.phase().latency().percentileMillis(50)));
        out.put("latencyP99Ms", round(m.phase().latency().percentileMillis(99)));
        out.put("cpuUsPerRequest", round(m.cpuMicrosPerRequest()));
        out.put("errors", m.phase().errors());
        return out;
    }

    private static String seconds(java.time.Duration d) {
        return d.toSeconds() + " s";
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
