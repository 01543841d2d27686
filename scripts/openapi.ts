// Writes docs/openapi.json, the OpenAPI document of the HTTP API (src/http/openapi.ts), which the
// service also serves at GET /v1/openapi.json:
//   npx tsx scripts/openapi.ts          rewrite docs/openapi.json
//   npx tsx scripts/openapi.ts --check  exit 1 when it is out of date
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildOpenApiDocument } from "../src/http/openapi.js";

export const OPENAPI_FILE = fileURLToPath(new URL("../docs/openapi.json", import.meta.url));
/** The file's text for the current document. */
export const renderOpenApi = () => JSON.stringify(buildOpenApiDocument(), null, 2) + "\n";

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let current = "";
  try {
    current = readFileSync(OPENAPI_FILE, "utf8");
  } catch {
    /* first run */
  }
  const next = renderOpenApi();
  if (process.argv.includes("--check")) {
    if (next !== current) {
      console.error("docs/openapi.json is out of date: run npx tsx scripts/openapi.ts");
      process.exit(1);
    }
  } else if (next !== current) {
    writeFileSync(OPENAPI_FILE, next);
    console.log("docs/openapi.json updated");
  } else console.log("docs/openapi.json is up to date");
}
