// Outcome metric of the engineer signature: replays the prediction by running its program and
// compares what it prints with the answer recorded in the example's trace (its correction, else its output).
// The program is model output, so it runs in the service's sandbox (`context.runProgram`, a V8
// isolate with no network, file system, processes or environment, bounded time and memory) —
// never in a process of its own.

const TIMEOUT_MS = 5000;

const normalize = (s) => String(s ?? "").trim().replace(/\s+/g, " ").toLowerCase();

function sameAnswer(printed, expected) {
  const a = Number(printed);
  const b = Number(expected);
  if (printed !== "" && expected !== "" && Number.isFinite(a) && Number.isFinite(b)) return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  return normalize(printed) === normalize(expected);
}

/** @returns {Promise<{ success: boolean, feedback?: string }>} */
export default async function engineerOutcome(example, prediction, _trace, context) {
  if (typeof context?.runProgram !== "function") return { success: false, feedback: "no sandbox to replay the program in (the service passes one as the metric's fourth argument)" };
  if (prediction.language !== "javascript") return { success: false, feedback: `only JavaScript programs can be replayed, got ${prediction.language}` };
  // A correction (outcome.expected) is the right answer when someone recorded one.
  const expected = (example.expected ?? example.output)?.expectedAnswer;
  if (expected === undefined) return { success: false, feedback: "the example has no recorded expectedAnswer to compare with" };
  const ran = await context.runProgram(String(prediction.code ?? ""), { timeoutMs: TIMEOUT_MS });
  if (!ran.ok) return { success: false, feedback: ran.error.message };
  return sameAnswer(ran.output, String(expected)) ? { success: true } : { success: false, feedback: `the program printed ${JSON.stringify(ran.output)}, expected ${JSON.stringify(String(expected))}` };
}
