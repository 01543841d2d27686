// Writes the configuration table of docs/configuration.md from src/config/keys.ts (the single
// source of truth), between its config-table markers:
//   npx tsx scripts/config-table.ts          rewrite the table in place
//   npx tsx scripts/config-table.ts --check  exit 1 when the file is out of date
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { CONFIG_KEYS } from "../src/config/keys.js";

export const CONFIG_DOC = fileURLToPath(new URL("../docs/configuration.md", import.meta.url));
const START = /<!-- config-table:start[^>]*-->\n/;
const END = "<!-- config-table:end -->";

const fmtDefault = (v: unknown) => (v === undefined ? "*(unset)*" : `\`${typeof v === "string" ? v : JSON.stringify(v)}\``);

/** The Markdown table of every configuration key: variables, file key, default, meaning. */
export function renderConfigTable(): string {
  const rows = Object.values(CONFIG_KEYS).map(
    (k) => `| ${k.env.map((e) => `\`${e}\``).join(" or ")} | \`${k.file}\` | ${fmtDefault("default" in k ? k.default : undefined)} | ${k.doc.replace(/\|/g, "\\|")} |`,
  );
  return ["| Environment variables | File key | Default | Meaning |", "|---|---|---|---|", ...rows].join("\n");
}

/** `doc` with the text between the markers replaced by the current table. */
export function withConfigTable(doc: string): string {
  const start = START.exec(doc);
  const end = doc.indexOf(END);
  if (!start || end < start.index) throw new Error("docs/configuration.md: config-table markers not found");
  return doc.slice(0, start.index + start[0].length) + renderConfigTable() + "\n" + doc.slice(end);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const current = readFileSync(CONFIG_DOC, "utf8");
  const next = withConfigTable(current);
  if (process.argv.includes("--check")) {
    if (next !== current) {
      console.error("docs/configuration.md is out of date: run npx tsx scripts/config-table.ts");
      process.exit(1);
    }
  } else if (next !== current) {
    writeFileSync(CONFIG_DOC, next);
    console.log("docs/configuration.md updated");
  } else console.log("docs/configuration.md is up to date");
}
