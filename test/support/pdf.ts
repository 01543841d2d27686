// Writes a real PDF with one text page per entry (pdf-lib), so tests need no committed binaries.
import { writeFileSync } from "node:fs";
import { PDFDocument, StandardFonts } from "pdf-lib";

export async function writePdf(file: string, pages: string[][]): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([612, 792]);
    lines.forEach((line, i) => page.drawText(line, { x: 50, y: 740 - i * 16, size: 11, font }));
  }
  writeFileSync(file, await doc.save());
}
