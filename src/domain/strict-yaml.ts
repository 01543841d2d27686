// Strict reading of hand-written YAML (signature sources): duplicate keys, YAML errors and flow
// mappings cut by an unquoted comma (`{description: Next action (refund, escalate)}` reads as the
// text "Next action (refund" plus a key `escalate)` with no value) are refused with file and line,
// and schema issues point at the line of the value they are about.
import { LineCounter, isMap, isPair, isScalar, parseDocument, visit, type Document, type Node } from "yaml";
import type { z } from "zod";
import { ValidationError } from "../errors.js";
import { issuePath } from "./format-issues.js";

export interface StrictYaml {
  value: unknown;
  /** `file:line` of the node at `path` (or of its nearest existing parent). */
  where(path: readonly PropertyKey[]): string;
}

/** Parses `text`; throws ValidationError naming `file:line` for YAML errors, duplicate keys and comma-cut flow mappings. */
export function parseStrictYaml(text: string, file: string): StrictYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | undefined) => `${file}:${offset === undefined ? 1 : lineCounter.linePos(offset).line}`;
  const problems = doc.errors.map((e) => `${at(e.pos[0])}: not valid YAML: ${e.message.split("\n")[0]}`);
  if (problems.length === 0) problems.push(...commaCutFlowEntries(doc, at));
  if (problems.length > 0) throw new ValidationError(problems.join("\n"), { file, problems });
  return {
    value: doc.toJS(),
    where(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n) as unknown[], true) as Node | undefined;
        if (node && typeof node === "object" && "range" in node && node.range) return at(node.range[0]);
      }
      return at(undefined);
    },
  };
}

/** Entries of flow mappings with a key and no value: what an unquoted comma inside a text leaves behind. */
function commaCutFlowEntries(doc: Document, at: (offset: number | undefined) => string): string[] {
  const out: string[] = [];
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map) || !map.flow) return;
      for (const pair of map.items) {
        if (!isPair(pair) || pair.value !== null) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        out.push(
          `${at(isScalar(pair.key) ? pair.key.range?.[0] : undefined)}: "${key}" has no value in a {flow mapping}: an unquoted comma ends a text there. ` +
            `Quote the text ("...") or write the mapping in block style`,
        );
      }
    },
  });
  return out;
}

/** Formats zod issues as `file:line: path: message` lines. */
export function locateIssues(yaml: StrictYaml, issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${yaml.where(i.path)}: ${issuePath(i.path)}: ${i.message}`).join("\n");
}
