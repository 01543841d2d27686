// The dashboard end to end in headless Chromium against a running service seeded with two
// tenants' traces, findings, versions and learning cycles: sign in with a key, see only that
// tenant's data, read the plots, a trace timeline, the findings and a diff, roll a version back
// from the page and see it served. Every page is screenshotted to test-artifacts/ui/, checked for
// labelled controls, and loads nothing from another origin.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Page } from "playwright-core";
import { startDashboardService, type DashboardService } from "../support/dashboard-service.js";
import { focused, launchBrowser, pixelsOfColor, screenshot, unlabelledControls, type TestBrowser } from "../support/browser.js";
import { waitFor } from "../support/wait-for.js";

/** The plot colours of app.js: bars (runs) and lines (rates, scores). */
const BAR: [number, number, number] = [15, 118, 110];
const LINE: [number, number, number] = [37, 99, 235];

describe("the dashboard in a browser", () => {
  let h: DashboardService;
  let browser: TestBrowser;
  let page: Page;
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    h = await startDashboardService();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on("request", (r) => {
      if (!r.url().startsWith(h.service.url) && !r.url().startsWith("data:")) foreignRequests.push(r.url());
    });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error" && !/401 \(Unauthorized\)|404 \(Not Found\)/.test(m.text())) pageErrors.push(m.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const go = async (p: string) => page.goto(`${h.service.url}${p}`);

  /** Accessibility basics every page must meet. */
  async function checkBasics(name: string) {
    expect(await unlabelledControls(page), `${name}: unlabelled form controls`).toEqual([]);
    expect(await page.locator("h1").count(), `${name}: one h1`).toBe(1);
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.locator("[role=img]:not([aria-label])").count(), `${name}: pictures without a text alternative`).toBe(0);
    await screenshot(page, name);
  }

  it("asks for a key, signs in with the keyboard alone, and shows the key's tenant", async () => {
    const res = await go("/ui/traces");
    expect(res?.status()).toBe(401);
    await expect.poll(() => focused(page).then((f) => f.id)).toBe("key");
    await checkBasics("sign-in");
    await page.keyboard.type("mak_not-a-real-key-not-a-real-key-000000");
    await page.keyboard.press("Enter");
    await page.waitForLoadState();
    expect(await page.locator("[role=alert]").textContent()).toMatch(/unknown or revoked/);
    await page.fill("#key", h.keys.acme);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/ui\/traces$/);
    expect(await page.getByTestId("tenant").textContent()).toBe("acme");
  });

  it("moves through the page by keyboard: skip link first, then the navigation", async () => {
    await go("/ui");
    await page.keyboard.press("Tab");
    expect((await focused(page)).text).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await focused(page).then((f) => f.id)).toBe("main");
    await go("/ui");
    await page.keyboard.press("Tab"); // skip link
    await page.keyboard.press("Tab"); // Overview
    await page.keyboard.press("Tab"); // Traces
    expect((await focused(page)).text).toBe("Traces");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/ui\/traces$/);
    expect(await page.locator('nav[aria-label=Main] a[aria-current=page]').textContent()).toBe("Traces");
  });

  it("plots runs per day, success rate and cost per agent and signature, with the served version and the last cycle", async () => {
    await go("/ui");
    const group = page.locator("section.group", { hasText: "diagnosis · diagnosis" });
    await expect.poll(() => group.locator("[data-rendered=true] canvas").count()).toBeGreaterThanOrEqual(3);
    expect(await pixelsOfColor(page, '[data-chart$="-runs"]', BAR)).toBeGreaterThan(50);
    expect(await pixelsOfColor(page, '[data-chart$="-success"]', LINE)).toBeGreaterThan(50);
    expect(await pixelsOfColor(page, '[data-chart$="-cost"]', LINE)).toBeGreaterThan(50);
    const text = await group.textContent();
    expect(text).toContain("48"); // runs
    expect(text).toContain("66.7%"); // 32 of 48 succeeded
    expect(text).toMatch(/Served version\s*1\.0\.1/);
    expect(text).toMatch(/Last learning cycle\s*skipped/);
    expect(await page.content()).not.toMatch(/billing-bot|globex/);
    await checkBasics("overview");
  });

  it("lists only the tenant's traces, filters them, and opens one as a timeline", async () => {
    await go("/ui/traces");
    expect(await page.locator("[data-testid=trace-table] tbody tr").count()).toBe(48);
    expect(await page.content()).not.toMatch(/globex|billing-bot/);
    await checkBasics("traces");
    // Task (intent) filter: a free-text field suggesting the recent task keys.
    expect(await page.locator("#task-values option").evaluateAll((os) => os.map((o) => o.getAttribute("value")).sort())).toEqual(["disk-incident", "disk-incident-eu"]);
    await page.fill("#task", "disk-incident-eu");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/task=disk-incident-eu/);
    expect(await page.locator("[data-testid=trace-table] tbody tr").count()).toBe(24);
    await go("/ui/traces");
    await page.selectOption("#outcome", "failure");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/outcome=failure/);
    const rows = page.locator("[data-testid=trace-table] tbody tr");
    expect(await rows.count()).toBe(h.failedTraceIds.length);
    expect(await rows.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining("failure")]));
    await page.getByRole("link", { name: h.failedTraceIds[0]! }).click();
    await page.waitForURL(new RegExp(`/ui/traces/${h.failedTraceIds[0]}$`));
    const timeline = page.getByTestId("timeline");
    expect(await timeline.locator("rect").count()).toBe(4);
    expect(await timeline.locator(".tool-failed rect").count()).toBe(1);
    const steps = await page.locator("ol.steps").textContent();
    expect(steps).toContain("tool get_logs");
    expect(steps).toContain("Error: timeout after 30s");
    expect(steps).toContain("Pods were evicted");
    expect(steps).toContain("900 prompt + 120 completion tokens");
    expect(await page.locator("dl.facts").textContent()).toContain("$0.0042");
    await checkBasics("trace");
  });

  it("does not open another tenant's trace", async () => {
    const res = await go(`/ui/traces/${h.globexTraceId}`);
    expect(res?.status()).toBe(404);
    expect(await page.content()).not.toContain("globex-secret invoice");
  });

  it("shows findings with crude and adjusted effects, strata, failure reasons, what appeared, and example traces one click away", async () => {
    await go("/ui/findings");
    const finding = page.locator("article.finding", { hasText: "get_logs fails" }).first();
    const text = await finding.textContent();
    expect(text).toMatch(/Crude effect\s*−100\.0 pts/);
    expect(text).toMatch(/Adjusted effect \(within strata\)\s*−100\.0 pts/);
    expect(text).toContain("timeout after");
    expect(await page.locator(".changes").first().textContent()).toMatch(/Appeared \(\d+\)/);
    expect(await page.locator("details", { hasText: "Strata compared within" }).textContent()).toContain("disk-incident-eu");
    await checkBasics("findings");
    const example = finding.locator("a[href^='/ui/traces/']").first();
    const id = await example.textContent();
    expect(h.failedTraceIds).toContain(id);
    await example.click();
    await page.waitForURL(new RegExp(`/ui/traces/${id}$`));
    expect(await page.locator("h1").textContent()).toBe(`Trace ${id}`);
  });

  it("plots each version's score with its interval and shows a side-by-side diff of any two versions", async () => {
    await go("/ui/versions");
    await checkBasics("versions");
    await page.getByRole("link", { name: "diagnosis" }).click();
    await page.waitForURL(/\/ui\/versions\/diagnosis$/);
    await expect.poll(() => page.locator("[data-chart=scores][data-rendered=true] canvas").count()).toBeGreaterThan(0);
    expect(await pixelsOfColor(page, "[data-chart=scores]", LINE)).toBeGreaterThan(50);
    const v101 = await page.locator("#v-1\\.0\\.1").textContent();
    expect(v101).toMatch(/1\.0\.1\s*served/);
    expect(v101).toMatch(/\[\d/); // the interval
    expect(await page.locator("article", { hasText: "1.0.1 added" }).textContent()).toMatch(/Demos[\s\S]*trace acme-run-/);
    const diff = page.getByTestId("diff");
    expect(await diff.locator("td.added").count()).toBeGreaterThan(0);
    expect(await diff.textContent()).toContain("demos:");
    await checkBasics("version-diff");
    await page.selectOption("#from", "1.0.1");
    await page.selectOption("#to", "1.0.0");
    await page.getByRole("button", { name: "Compare" }).click();
    await page.waitForURL(/from=1\.0\.1&to=1\.0\.0/);
    expect(await page.locator("#diff-title").textContent()).toBe("Diff 1.0.1 → 1.0.0");
    expect(await page.getByTestId("diff").locator("td.removed").count()).toBeGreaterThan(0);
  });

  it("lists learning cycles with their phases, decisions and why a candidate was not promoted", async () => {
    await go("/ui/learning");
    const cycles = page.locator("article.cycle");
    expect(await cycles.count()).toBe(2);
    const [newest, oldest] = [await cycles.nth(0).textContent(), await cycles.nth(1).textContent()];
    expect(newest).toMatch(/skipped/);
    expect(newest).toContain("0 new traces < min_traces_for_analysis (10)");
    expect(oldest).toMatch(/promoted/);
    expect(oldest).toMatch(/analyze \d+ ms/);
    expect(oldest).toMatch(/mean gain \+[\d.]+ with 95% lower bound/);
    await checkBasics("learning");
  });

  it("rolls a version back from the page after confirmation, and the service serves it", async () => {
    await go("/ui/versions/diagnosis");
    await page.getByRole("link", { name: "Roll back to 1.0.0…" }).click();
    await page.waitForURL(/\/rollback\?to=1\.0\.0$/);
    expect(await page.locator("h2#confirm-title").textContent()).toBe("Roll diagnosis back to 1.0.0?");
    await checkBasics("rollback-confirm");
    // Cancelling changes nothing.
    await page.getByRole("link", { name: "Cancel" }).click();
    await page.waitForURL(/\/ui\/versions\/diagnosis$/);
    expect(await page.locator("tr.current th").textContent()).toMatch(/^1\.0\.1/);
    await page.getByRole("link", { name: "Roll back to 1.0.0…" }).click();
    await page.getByRole("button", { name: "Roll back to 1.0.0" }).click();
    await page.waitForURL(/rolledBack=1\.0\.2/);
    expect(await page.getByRole("status").textContent()).toBe("Rolled back: diagnosis 1.0.2 is now served.");
    expect(await page.locator("tr.current th").textContent()).toMatch(/^1\.0\.2/);
    await screenshot(page, "rolled-back");
    const served = async () => ((await (await h.api("GET", "/v1/signatures", "acme")).json()) as { signatures: { name: string; version: string }[] }).signatures.find((s) => s.name === "diagnosis")?.version;
    await waitFor(async () => (await served()) === "1.0.2", { what: "the rolled-back version served", timeoutMs: 20_000 });
  });

  it("signs out, and another tenant's key shows that tenant only", async () => {
    await go("/ui");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/ui$/);
    expect(await page.locator("#key").count()).toBe(1);
    await page.fill("#key", h.keys.globex);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/ui$/);
    expect(await page.getByTestId("tenant").textContent()).toBe("globex");
    expect(await page.locator("section.group h2").allTextContents()).toEqual(["billing-bot"]);
    await go("/ui/versions");
    expect(await page.locator("main").textContent()).toContain("No compiled versions yet");
    await go("/ui/traces");
    expect(await page.locator("[data-testid=trace-table] tbody tr").count()).toBe(1);
    expect(await page.content()).not.toContain("acme-run-");
    expect((await go("/ui/traces/acme-run-000"))?.status()).toBe(404);
    await screenshot(page, "other-tenant");
  });

  it("loaded nothing from another origin and raised no script or policy errors", () => {
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
