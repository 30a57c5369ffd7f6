import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMBER, OTHERS, type Seeded, seedDesk } from "./seed.ts";

/** Debian's chromium; CI installs it (.ci/run). Without it the test says so instead of passing silently. */
const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

/** A phone and a laptop: every page must read at both without sideways scrolling. */
const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 900 },
] as const;

describe.skipIf(!hasChromium)("the web view in headless Chromium", () => {
  let s: Seeded;
  let server: ServerType;
  let browser: Browser;
  let base = "";

  beforeAll(async () => {
    s = await seedDesk();
    server = serve({ fetch: s.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-quic",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    await mkdir("test-output", { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await s?.db.close();
  });

  /** Every HTML page the app serves (app.ts and pages/), each with text it must show. */
  const pages = async () => {
    const withCalls = await s.db.prisma.dispatch.findFirstOrThrow({
      where: { calls: { some: { status: { in: ["right", "wrong"] } } } },
      orderBy: { number: "asc" },
    });
    const noCall = await s.db.prisma.dispatch.findFirstOrThrow({
      where: { calls: { none: {} } },
      orderBy: { number: "asc" },
    });
    return [
      { name: "home", path: "/", text: "Latest dispatches" },
      { name: "dispatch", path: `/read/${withCalls.number}`, text: `Dispatch #${withCalls.number}` },
      { name: "dispatch-no-call", path: `/read/${noCall.number}`, text: "No call this cycle" },
      { name: "trail", path: `/trail/${s.deskCalls[0]}`, text: `Call #${s.deskCalls[0]}` },
      { name: "trail-member", path: `/trail/${s.memberCalls[0]}`, text: "Answers desk call" },
      { name: "leaderboard", path: "/leaderboard?season=all", text: "Peer vs desk" },
      { name: "leaderboard-month", path: "/leaderboard?season=2026-06", text: "Leaderboard" },
      { name: "member", path: `/u/local/${MEMBER.externalId}`, text: "Peer vs desk" },
      { name: "member-other", path: `/u/local/${OTHERS[0]?.externalId}`, text: OTHERS[0]?.displayName ?? "" },
      { name: "desk", path: "/desk", text: "By lead mind" },
      { name: "anchors", path: "/anchors", text: "Anchors" },
      { name: "verify", path: "/verify", text: "Hash chain of calls and verdicts" },
    ];
  };

  it("opens every page at 390 px and 1280 px: no sideways scrolling, no broken image, a screenshot each", async () => {
    const all = await pages();
    for (const viewport of VIEWPORTS) {
      const tab = await browser.newPage({ viewport: { width: viewport.width, height: viewport.height } });
      for (const { name, path, text } of all) {
        const response = await tab.goto(`${base}${path}`, { waitUntil: "load" });
        const where = `${path} at ${viewport.width}px`;
        expect(response?.status(), where).toBe(200);
        expect(await tab.textContent("body"), where).toContain(text);
        const images = await tab.$$eval("img", (imgs) =>
          imgs.map((img) => ({
            src: img.getAttribute("src"),
            complete: img.complete,
            width: img.naturalWidth,
          })),
        );
        for (const image of images) {
          expect(image.src, where).toMatch(/^\/charts\/.+\.png/);
          expect(image.complete && image.width > 0, `${where}: ${image.src} is broken`).toBe(true);
        }
        // A string: this project's TypeScript has no DOM library, the browser evaluates it.
        const { scrollWidth, innerWidth } = (await tab.evaluate(
          "({ scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth })",
        )) as { scrollWidth: number; innerWidth: number };
        expect(scrollWidth, `${where} scrolls sideways`).toBeLessThanOrEqual(innerWidth);
        await tab.screenshot({ path: `test-output/web-${name}-${viewport.width}.png`, fullPage: true });
      }
      await tab.close();
    }
  });

  it("shows each dispatch call as a card with its price chart, and the call list only once (dark scheme)", async () => {
    const tab = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
    const dispatch = await s.db.prisma.dispatch.findFirstOrThrow({
      where: { calls: { some: {} } },
      include: { calls: { where: { authorType: "desk" } } },
      orderBy: { number: "asc" },
    });
    await tab.goto(`${base}/read/${dispatch.number}`, { waitUntil: "load" });
    expect(await tab.locator(".call-card").count()).toBe(dispatch.calls.length);
    const charts = await tab.$$eval(".call-card img", (imgs) => imgs.map((i) => i.naturalWidth));
    expect(charts).toHaveLength(dispatch.calls.length);
    expect(charts.every((w) => w > 0)).toBe(true);
    const body = (await tab.textContent("main")) ?? "";
    expect(body.match(/CALL 1\b/g)).toHaveLength(1);
    expect(body.split(dispatch.debateLine.split(" | ")[0] ?? "").length - 1).toBe(1);
    await tab.screenshot({ path: "test-output/web-dispatch-390-dark.png", fullPage: true });
    // Narrow enough that the leaderboard is cards, and its peer-vs-desk and voids cells are on screen.
    await tab.goto(`${base}/leaderboard?season=all`, { waitUntil: "load" });
    await tab.screenshot({ path: "test-output/web-leaderboard-390-dark.png", fullPage: true });
    for (const label of ["Peer vs desk", "Voids"]) {
      const cell = tab.locator(`td[data-label="${label}"]`).first();
      expect(await cell.isVisible(), label).toBe(true);
      const box = await cell.boundingBox();
      expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 390, label).toBe(true);
    }
    await tab.close();
  });
});
