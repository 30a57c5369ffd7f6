import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DESK_STARTUP_MS, startDesk, until } from "../support/process.ts";

/** The promise: within six minutes of a demo desk running, its pages are full. */
const DEMO_MS = 6 * 60_000;

/** Every `<img src>` on a page whose src contains `part` (the pages are server-rendered HTML). */
function imagesOn(page: string, part: string): string[] {
  return [...page.matchAll(/<img\b[^>]*\bsrc="([^"]+)"/g)]
    .map((m) => (m[1] as string).replaceAll("&amp;", "&"))
    .filter((src) => src.includes(part));
}

describe("DEMO_SPEED=720 npm start on a fresh data folder", {
  timeout: DESK_STARTUP_MS + 2 * DEMO_MS,
}, () => {
  let child: ChildProcess | undefined;
  let dataDir = "";
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("fills the leaderboard with the desk and three simulated members, their calibration charts, and call charts", async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "tapereader-demo-"));
    const desk = await startDesk(dataDir, { DEMO_SPEED: "720" });
    child = desk.child;
    const { base } = desk;
    const page = async (route: string) => {
      const res = await fetch(`${base}${route}`);
      return res.ok ? res.text() : null;
    };
    await until(
      "/healthz",
      DESK_STARTUP_MS,
      async () => ((await fetch(`${base}/healthz`)).ok ? true : null),
      desk,
    );

    // Members rank once they have enough resolved calls: waiting on the page itself, no fixed sleep.
    const members = await until("the desk and three members on /leaderboard", DEMO_MS, async () => {
      const board = await page("/leaderboard");
      if (!board?.includes('<tr class="desk">')) return null;
      const linked = new Set([...board.matchAll(/href="(\/u\/[^"]+)"/g)].map((m) => m[1] as string));
      return linked.size >= 3 ? [...linked] : null;
    });
    const board = (await page("/leaderboard")) ?? "";
    expect(board.match(/\(simulated\)/g)?.length).toBeGreaterThanOrEqual(3);

    // A member page shows a calibration chart, and the chart is an image the server renders.
    const memberPage = (await page(members[0] as string)) ?? "";
    expect(memberPage).toContain("(simulated)");
    const calibration = imagesOn(memberPage, "/charts/calibration/");
    expect(calibration.length).toBeGreaterThan(0);
    const chart = await fetch(`${base}${calibration[0]}`);
    expect(chart.status).toBe(200);
    expect(chart.headers.get("content-type")).toMatch(/^image\//);

    // A dispatch page shows its calls' price charts: img[src*="/charts/"] on /read/:n, other than the
    // desk-wide score and calibration charts a page may carry beside them.
    const callChart = await until("a dispatch with a call chart", DEMO_MS, async () => {
      const home = (await page("/")) ?? "";
      for (const [, n] of home.matchAll(/href="\/read\/(\d+)"/g)) {
        const charts = imagesOn((await page(`/read/${n}`)) ?? "", "/charts/").filter(
          (src) => !/\/charts\/(score|calibration)\/desk\./.test(src),
        );
        if (charts[0]) return charts[0];
      }
      return null;
    });
    const image = await fetch(`${base}${callChart}`);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toMatch(/^image\//);

    child.kill("SIGTERM");
    expect(await desk.exited).toBe(0);
  });
});
