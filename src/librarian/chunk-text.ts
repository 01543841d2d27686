// Splits extracted pages into overlapping passages of about `chunkChars` characters, on
// paragraph, then sentence, then word boundaries, never across PDF pages (so a citation's page
// is exact).
import type { DocumentPage } from "./read-document.js";

export interface ChunkOptions {
  /** Target chunk size in characters. Default 1200. */
  chunkChars?: number;
  /** Characters of the previous chunk repeated at the start of the next. Default 150. */
  overlap?: number;
}

export interface TextChunk {
  /** 0-based position of the chunk in its document. */
  idx: number;
  page: number | null;
  text: string;
}

/** Splits `text` into pieces no longer than `max`, preferring sentence then word boundaries. */
function splitLong(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const sentences = text.match(/[^.!?]+[.!?]+["')\]]*\s*|[^.!?]+$/g) ?? [text];
  const out: string[] = [];
  let cur = "";
  for (const s of sentences) {
    if (s.length > max) {
      if (cur) out.push(cur), (cur = "");
      for (const w of s.split(/(?<=\s)/)) {
        if ((cur + w).length > max && cur) out.push(cur), (cur = "");
        cur += w.length > max ? w.slice(0, max) : w;
      }
    } else if ((cur + s).length > max) {
      out.push(cur);
      cur = s;
    } else cur += s;
  }
  if (cur) out.push(cur);
  return out.map((p) => p.trim()).filter(Boolean);
}

function tail(text: string, chars: number): string {
  if (chars <= 0 || text.length <= chars) return chars <= 0 ? "" : text;
  const cut = text.slice(text.length - chars);
  const space = cut.indexOf(" ");
  return space >= 0 ? cut.slice(space + 1) : cut;
}

/** Chunks pages in order; chunk indexes run across the whole document. */
export function chunkPages(pages: readonly DocumentPage[], options: ChunkOptions = {}): TextChunk[] {
  const max = options.chunkChars ?? 1200;
  const overlap = Math.min(options.overlap ?? 150, Math.floor(max / 2));
  const chunks: TextChunk[] = [];
  for (const { page, text } of pages) {
    const paragraphs = text
      .replace(/\r\n?/g, "\n")
      .split(/\n\s*\n/)
      .map((p) => p.replace(/[ \t]*\n[ \t]*/g, " ").replace(/[ \t]+/g, " ").trim())
      .filter(Boolean)
      .flatMap((p) => splitLong(p, max - overlap));
    let cur = "";
    const flush = () => {
      if (cur.trim()) chunks.push({ idx: chunks.length, page, text: cur.trim() });
    };
    for (const p of paragraphs) {
      // A Markdown heading starts a new chunk, so a section is not glued to the previous one.
      const heading = /^#{1,6}\s/.test(p);
      if (cur && (heading || cur.length + 2 + p.length > max)) {
        flush();
        cur = heading ? "" : tail(cur, overlap);
      }
      cur = cur ? `${cur}\n\n${p}` : p;
    }
    flush();
  }
  return chunks;
}
