// The dashboard's static files: uPlot (from its package) and our own stylesheet and script
// (copied next to the compiled code by `npm run build`, read from src/ when run with tsx). All
// served by the service: the dashboard needs no CDN and works offline.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const own = (file: string) => fileURLToPath(new URL(`./assets/${file}`, import.meta.url));

/** Public name → file on disk and media type. Nothing outside this list is served. */
export function uiAssetFiles(): Map<string, { path: string; type: string }> {
  return new Map([
    ["uplot.js", { path: require.resolve("uplot/dist/uPlot.iife.min.js"), type: "text/javascript" }],
    ["uplot.css", { path: require.resolve("uplot/dist/uPlot.min.css"), type: "text/css" }],
    ["app.js", { path: own("app.js"), type: "text/javascript" }],
    ["app.css", { path: own("app.css"), type: "text/css" }],
  ]);
}

/** Files missing on disk (a build that did not copy the assets), for a clear start-up warning. */
export const missingUiAssets = (): string[] => [...uiAssetFiles().values()].map((f) => f.path).filter((p) => !existsSync(p));
