// Preloaded (`node --import`) into a benchmarked child process: samples the V8 heap every 20 ms
// and, at exit, prints the peak resident set (the kernel's high-water mark) and the peak heap,
// in bytes, as `PEAK_MEMORY {"rss":…,"heap":…}` on stderr.
import { writeSync } from "node:fs";

let heap = process.memoryUsage().heapUsed;
const timer = setInterval(() => {
  heap = Math.max(heap, process.memoryUsage().heapUsed);
}, 20);
timer.unref();
process.on("exit", () => {
  heap = Math.max(heap, process.memoryUsage().heapUsed);
  writeSync(2, `PEAK_MEMORY ${JSON.stringify({ rss: process.resourceUsage().maxRSS * 1024, heap })}\n`);
});
