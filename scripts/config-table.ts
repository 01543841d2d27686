// Prints README's configuration table from src/config/keys.ts (the single source of truth):
//   npx tsx scripts/config-table.ts
import { CONFIG_KEYS } from "../src/config/keys.js";

const fmtDefault = (v: unknown) => (v === undefined ? "*(unset)*" : `\`${typeof v === "string" ? v : JSON.stringify(v)}\``);
const rows = Object.values(CONFIG_KEYS).map(
  (k) => `| ${k.env.map((e) => `\`${e}\``).join(" or ")} | \`${k.file}\` | ${fmtDefault("default" in k ? k.default : undefined)} | ${k.doc.replace(/\|/g, "\\|")} |`,
);
console.log(["| Environment variables | File key | Default | Meaning |", "|---|---|---|---|", ...rows].join("\n"));
