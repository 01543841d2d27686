// Polls GET /readyz while a test runs and records how long each answer took: the measure of
// "one request does not stall the service for everyone" (issue 23). Each probe is a fresh
// request on its own connection, as a load balancer's would be.
import { request } from "node:http";

export interface ReadinessProbe {
  /** Stops polling and answers the latencies seen (ms), in order, and any non-200 status. */
  stop(): Promise<{ latencies: number[]; failures: string[] }>;
}

function probeOnce(url: string, timeoutMs: number): Promise<{ ms: number; status: number | string }> {
  const { hostname, port } = new URL(url);
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: hostname, port, path: "/readyz", agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on("end", () => resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0 }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (e) => resolve({ ms: performance.now() - t0, status: e.message }));
    req.end();
  });
}

/** Starts probing `url`/readyz every `everyMs` (default 25 ms), one probe in flight at a time. */
export function startReadinessProbe(url: string, everyMs = 25): ReadinessProbe {
  const latencies: number[] = [];
  const failures: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const { ms, status } = await probeOnce(url, 10_000);
      latencies.push(ms);
      if (status !== 200) failures.push(`readyz answered ${status} after ${ms.toFixed(0)} ms`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { latencies, failures };
    },
  };
}

/** The share of `latencies` above `ms`. */
export const shareAbove = (latencies: readonly number[], ms: number): number => (latencies.length === 0 ? 0 : latencies.filter((l) => l > ms).length / latencies.length);
