// Worker thread hosting the embedded database: PGlite (Postgres compiled to WASM) with pgvector,
// served on a loopback port by pglite-socket. PGlite executes queries synchronously on the thread
// that owns it; hosting it here keeps the service's event loop (HTTP, the orchestrator) free
// while the database works, and lets the two use both cores.
//
// Plain JavaScript on purpose: worker threads load files directly, without the TypeScript
// transform the tests run under. Protocol: the parent posts { type: "stop" }; this thread posts
// { type: "ready", port }, { type: "stopped" } or { type: "error", message, stack }.
import { parentPort, workerData } from "node:worker_threads";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { ProtocolAwareQueryQueue } from "./protocol-aware-queue.mjs";

/** @type {{ dataDir: string, port: number, maxConnections: number, sharedBuffers?: string }} */
const options = workerData;

async function main() {
  // Server settings go on the command line of PGlite's single-user backend, after its defaults.
  const settings = options.sharedBuffers ? ["-c", `shared_buffers=${options.sharedBuffers}`] : [];
  const db = await PGlite.create({ dataDir: path.join(options.dataDir, "pgdata"), extensions: { vector }, startParams: [...PGlite.defaultStartParams, ...settings] });
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: options.port, maxConnections: options.maxConnections });
  // Connections read `queryQueue` when they attach; swap in the protocol-aware one first.
  server.queryQueue = new ProtocolAwareQueryQueue(db);
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  let stopping;
  parentPort.on("message", (message) => {
    if (message?.type !== "stop") return;
    stopping ??= (async () => {
      try {
        await server.stop();
        await db.close();
        parentPort.postMessage({ type: "stopped" });
      } catch (e) {
        parentPort.postMessage({ type: "error", message: String(e?.message ?? e), stack: e?.stack });
      }
    })();
  });
  parentPort.postMessage({ type: "ready", port });
}

main().catch((e) => parentPort.postMessage({ type: "error", message: String(e?.message ?? e), stack: e?.stack }));
