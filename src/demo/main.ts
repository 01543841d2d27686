// `npm run demo`: the end-to-end demo in a temporary directory, removed afterwards unless
// --keep is given.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runDemo } from "./run-demo.js";

const keep = process.argv.includes("--keep");
const dir = mkdtempSync(path.join(tmpdir(), "meta-agent-demo-"));
try {
  const result = await runDemo({ dir, print: (line) => console.log(line) });
  console.log(
    result.promotedVersion
      ? `\nDone: diagnosis went from ${result.before.correct}/${result.before.runs} to ${result.after.correct}/${result.after.runs} correct after one learning cycle.`
      : "\nDone: no version was promoted in this run.",
  );
  if (keep) console.log(`Kept ${dir} (git repository in agents/, database in data/).`);
} catch (e) {
  console.error("The demo failed:", e);
  process.exitCode = 1;
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
