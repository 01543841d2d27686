// Extracts the text of a library file, page by page for PDFs. Which files the Librarian takes
// is decided here too, by extension.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

export type LibraryMediaType = "text/plain" | "text/markdown" | "application/pdf";

const MEDIA_TYPES: Record<string, LibraryMediaType> = {
  ".txt": "text/plain",
  ".text": "text/plain",
  ".md": "text/markdown",
  ".markdown": "text/markdown",
  ".pdf": "application/pdf",
};

/** A page of extracted text; `page` is 1-based for PDFs and null for text files. */
export interface DocumentPage {
  page: number | null;
  text: string;
}

/** The media type the Librarian indexes a file as, or undefined for files it skips. */
export function mediaTypeOf(file: string): LibraryMediaType | undefined {
  return MEDIA_TYPES[path.extname(file).toLowerCase()];
}

/** Extracts text from `bytes` of the given media type. Throws on an unreadable PDF. */
export async function extractPages(bytes: Uint8Array, mediaType: LibraryMediaType): Promise<DocumentPage[]> {
  const pages = mediaType === "application/pdf" ? await extractPdfPages(bytes) : [{ page: null, text: new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "") }];
  // Postgres text cannot hold NUL characters, which some PDFs and binary-ish files contain.
  return pages.map((p) => ({ ...p, text: p.text.replace(/\u0000/g, "") }));
}

export async function readDocument(file: string, mediaType: LibraryMediaType): Promise<DocumentPage[]> {
  return extractPages(new Uint8Array(await readFile(file)), mediaType);
}

async function extractPdfPages(bytes: Uint8Array): Promise<DocumentPage[]> {
  // pdfjs-dist's legacy build is the one meant for Node; imported lazily because it is large.
  const { getDocument, VerbosityLevel } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts") + path.sep;
  // pdf.js may keep (detach) the buffer it is given, so it gets a copy.
  const task = getDocument({ data: bytes.slice(), standardFontDataUrl: fontDir, isEvalSupported: false, verbosity: VerbosityLevel.ERRORS });
  const pdf = await task.promise;
  try {
    const pages: DocumentPage[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      let text = "";
      for (const item of content.items) {
        if (!("str" in item)) continue;
        text += item.str + (item.hasEOL ? "\n" : "");
      }
      pages.push({ page: n, text });
      page.cleanup();
    }
    return pages;
  } finally {
    await task.destroy();
  }
}
