// Headless Chromium for browser tests: Debian's `chromium` package (installed by .ci/run),
// driven by playwright-core. Never a downloaded browser. Each launch gets a fresh profile
// directory, removed on close; screenshots go to test-artifacts/ (gitignored).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"];

export const ARTIFACTS_DIR = fileURLToPath(new URL("../../test-artifacts/ui/", import.meta.url));

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh user-data-dir; throws a clear message when the package is missing. */
export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium package (apt-get install -y chromium), as .ci/run does`);
  const profile = mkdtempSync(path.join(tmpdir(), "meta-agent-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: FLAGS, viewport: { width: 1280, height: 900 } });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as test-artifacts/ui/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Form controls of the page without a label (a <label for>, a wrapping label or aria-label). */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.$$eval("input:not([type=hidden]), select, textarea", (els) =>
    els.filter((el) => ((el as unknown as { labels?: { length: number } }).labels?.length ?? 0) === 0 && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby")).map((el) => el.outerHTML.slice(0, 120)),
  );
}

/** The part of a canvas element this file uses (the test build has no DOM types). */
interface Canvas {
  width: number;
  height: number;
  getContext(kind: "2d"): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** Pixels of a chart's canvases drawn in `rgb` (±12 per channel): the plotted series, not just the axes. */
export function pixelsOfColor(page: Page, selector: string, rgb: [number, number, number]): Promise<number> {
  return page.$$eval(
    `${selector} canvas`,
    (canvases, color) => {
      let n = 0;
      for (const c of canvases as unknown as Canvas[]) {
        const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - color[0]) <= 12 && Math.abs(data[i + 1]! - color[1]) <= 12 && Math.abs(data[i + 2]! - color[2]) <= 12 && data[i + 3]! > 200) n++;
      }
      return n;
    },
    rgb,
  );
}

/** The focused element's id and text (evaluated as a string: the test build has no DOM types). */
export function focused(page: Page): Promise<{ id: string | undefined; text: string | undefined }> {
  return page.evaluate("({ id: document.activeElement?.id, text: document.activeElement?.textContent })") as Promise<{ id: string | undefined; text: string | undefined }>;
}
