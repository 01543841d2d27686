// `npm run demo`: the end-to-end demo in a temporary directory, removed afterwards unless
// --keep is given; `npm run demo -- --canary` shows canary releases rolling back and promoting.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runDemo } from "./run-demo.js";
import { runCanaryDemo } from "./run-canary-demo.js";

const keep = process.argv.includes("--keep");
const dir = mkdtempSync(path.join(tmpdir(), "meta-agent-demo-"));
try {
  if (process.argv.includes("--canary")) {
    const result = await runCanaryDemo({ dir, print: (line) => console.log(line) });
    console.log(`\nDone: ${result.rolledBack.candidateVersion} was rolled back and ${result.promoted.candidateVersion} promoted by their canaries, each with a commit.`);
  } else {
    const result = await runDemo({ dir, print: (line) => console.log(line) });
    console.log(
      result.promotedVersion
        ? `\nDone: diagnosis went from ${result.before.correct}/${result.before.runs} to ${result.after.correct}/${result.after.runs} correct after one learning cycle.`
        : "\nDone: no version was promoted in this run.",
    );
  }
  if (keep) console.log(`Kept ${dir} (git repository in agents/, database in data/).`);
} catch (e) {
  console.error("The demo failed:", e);
  process.exitCode = 1;
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
