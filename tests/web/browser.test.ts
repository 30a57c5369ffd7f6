import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Seeded, seedDesk } from "./seed.ts";

/** Debian's chromium; CI installs it (.ci/run). Without it the test says so instead of passing silently. */
const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

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

  const pages = () => [
    { name: "home", path: "/", heading: "TAPEREADER DESK" },
    { name: "dispatch", path: "/read/2", heading: "Dispatch #2" },
    { name: "trail", path: `/trail/${s.deskCalls[0]}`, heading: `Call #${s.deskCalls[0]}` },
    { name: "leaderboard", path: "/leaderboard?season=all", heading: "Leaderboard" },
  ];

  it("renders the home page, a dispatch, a trail and the leaderboard with their chart images", async () => {
    // A phone-sized viewport: the pages must read there without sideways scrolling.
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    for (const { name, path, heading } of pages()) {
      const response = await page.goto(`${base}${path}`, { waitUntil: "load" });
      expect(response?.status(), path).toBe(200);
      expect(await page.textContent("body"), path).toContain(heading);
      const images = await page.$$eval("img", (imgs) =>
        imgs.map((img) => ({
          src: img.getAttribute("src"),
          complete: img.complete,
          width: img.naturalWidth,
        })),
      );
      expect(images.length, path).toBeGreaterThan(0);
      for (const image of images) {
        expect(image.src, path).toMatch(/^\/charts\/.+\.png/);
        expect(image.width, `${path} ${image.src}`).toBeGreaterThan(0);
      }
      const overflow = await page.$eval("html", (root) => root.scrollWidth - root.clientWidth);
      expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(1);
      await page.screenshot({ path: `test-output/web-${name}.png`, fullPage: true });
    }
    await page.close();
  });
});
