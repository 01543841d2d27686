// `npm run build` step: copies the dashboard's own stylesheet and script next to the compiled
// code (dist/ui/assets/), where the service serves them from; uPlot is served from its package.
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const from = path.join(root, "src", "ui", "assets");
const to = path.join(root, "dist", "ui", "assets");
mkdirSync(to, { recursive: true });
for (const file of readdirSync(from)) if (/\.(js|css)$/.test(file)) copyFileSync(path.join(from, file), path.join(to, file));
