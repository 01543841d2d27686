// Outcome metric of the engineer signature: replays the prediction by running its program and
// compares what it prints with the answer recorded in the example's successful trace.
// The program runs in a separate Node.js process under the permission model (no file system,
// no child processes, no workers), with an empty environment, a heap cap, a time and an output
// limit — the same restrictions as the task runner's sandbox (src/tasks/run-program.ts),
// repeated here because this module lives in the prompts repository and cannot import the service.
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";

const TIMEOUT_MS = 5000;

const normalize = (s) => String(s ?? "").trim().replace(/\s+/g, " ").toLowerCase();

function sameAnswer(printed, expected) {
  const a = Number(printed);
  const b = Number(expected);
  if (printed !== "" && expected !== "" && Number.isFinite(a) && Number.isFinite(b)) return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  return normalize(printed) === normalize(expected);
}

function run(code) {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--experimental-permission", "--no-warnings", "--max-old-space-size=128", "-e", code], { timeout: TIMEOUT_MS, killSignal: "SIGKILL", maxBuffer: 64 * 1024, env: {}, cwd: tmpdir(), windowsHide: true }, (error, stdout, stderr) =>
      resolve({ error, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

/** @returns {Promise<{ success: boolean, feedback?: string }>} */
export default async function engineerOutcome(example, prediction) {
  if (prediction.language !== "javascript") return { success: false, feedback: `only JavaScript programs can be replayed, got ${prediction.language}` };
  const expected = example.output?.expectedAnswer;
  if (expected === undefined) return { success: false, feedback: "the example has no recorded expectedAnswer to compare with" };
  const { error, stdout, stderr } = await run(String(prediction.code ?? ""));
  if (error) {
    // Node prints the source line and a caret first; the line naming the error is what helps.
    const lines = (stderr || error.message).trim().split("\n");
    const reason = lines.find((l) => /\w*Error\b|ERR_[A-Z_]+/.test(l)) ?? lines.at(-1);
    return { success: false, feedback: `the program failed: ${reason.trim()}` };
  }
  const printed = stdout.trim();
  return sameAnswer(printed, String(expected)) ? { success: true } : { success: false, feedback: `the program printed ${JSON.stringify(printed)}, expected ${JSON.stringify(String(expected))}` };
}
