#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/cli/main.js (built by `npm run build`).
import("../dist/cli/main.js")
  .then((m) => m.main(process.argv))
  .catch((err) => {
    if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist/cli/main.js")) {
      console.error("meta-agent is not built yet: run `npm run build` first.");
    } else {
      console.error(err);
    }
    process.exit(1);
  });
