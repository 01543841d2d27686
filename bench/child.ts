// Runs one benchmark module and prints its results on a single marked line for bench/run.ts.
import { pathToFileURL } from "node:url";
import type { BenchModule } from "./types.js";

const [file, flag] = process.argv.slice(2);
const mod = (await import(pathToFileURL(file!).href)) as BenchModule;
const results = await mod.run({ quick: flag === "--quick" });
console.log(`BENCH_RESULTS ${JSON.stringify(results)}`);
process.exit(0);
