import { parseRssFeed } from "feedsmith";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallTrailView } from "../../src/commands/call-trail.ts";
import { HOSTILE, MEMBER, type Seeded, seedDesk } from "./seed.ts";

describe("web pages over a desk that ran real cycles", () => {
  let s: Seeded;
  const get = (path: string) => s.app.request(path);
  const text = async (path: string, status = 200) => {
    const res = await get(path);
    expect(res.status, path).toBe(status);
    return res.text();
  };

  beforeAll(async () => {
    s = await seedDesk();
  });
  afterAll(async () => {
    await s?.db.close();
  });

  it("shows a resolved desk call's whole trail: inputs, both rounds, thesis, hash chain, verdict, lesson", async () => {
    const resolved = await s.db.prisma.call.findFirstOrThrow({
      where: { authorType: "desk", status: { in: ["right", "wrong"] }, responses: { some: {} } },
      include: { cycle: { include: { stances: true } }, dispatch: true, lesson: true },
    });
    const page = await text(`/trail/${resolved.id}`);
    expect(page).toContain(`Call #${resolved.id}`);
    expect(page).toContain(resolved.hash);
    expect(page).toContain(resolved.prevHash);
    expect(page).toContain(`Chain #${resolved.chainSeq}`);
    expect(page).toContain(`<td data-label="Brier">${resolved.brier?.toFixed(3)}</td>`);
    expect(page).toContain(resolved.evidence ?? "missing evidence");
    expect(page).toContain(resolved.status.toUpperCase());
    expect(page).toContain(`<a href="/read/${resolved.dispatch?.number}">`);
    for (const mind of new Set(resolved.cycle?.stances.map((x) => x.mind)))
      expect(page).toContain(`<td data-label="Mind">${mind}</td>`);
    expect(page).toMatch(/<td data-label="Source">simulated <span class="meta">simulated<\/span><\/td>/);
    expect(page).toMatch(/↑ \d+ agree · ↓ 1 fade/);
    if (resolved.lesson)
      expect(page).toContain(resolved.lesson.title.replaceAll("&", "&amp;").replaceAll("'", "&#39;"));
    expect(page).toContain('src="/charts/calibration/desk.png');

    const api = (await (await get(`/api/trail/${resolved.id}`)).json()) as CallTrailView;
    expect(api.chain).toEqual({ seq: resolved.chainSeq, hash: resolved.hash, prevHash: resolved.prevHash });
    expect(api.minds.every((m) => m.round1 !== null && m.round2 !== null)).toBe(true);
    expect(api.observations.length).toBeGreaterThan(0);
    expect(api.call.result?.brier).toBeCloseTo(resolved.brier ?? Number.NaN, 9);
    expect(api.responses.fade).toBe(1);
    // Crowd, desk and base rate side by side: one member faded, so the crowd is that fade.
    expect(page).toContain("<h4>Crowd, desk and base rate</h4>");
    expect(page).toContain("Crowd (median of 1 member)");
    expect(api.sideBySide?.crowd?.members).toBe(1);
    expect(api.sideBySide?.desk.p).toBe(resolved.probability);
  });

  it("reads a dispatch once: the essay, one card per call with its numbers, crowd and chart, the debate line once", async () => {
    const d = await s.db.prisma.dispatch.findFirstOrThrow({
      where: { calls: { some: { authorType: "desk", responses: { some: {} } } } },
      include: { cycle: true, calls: { where: { authorType: "desk" }, orderBy: { id: "asc" } } },
      orderBy: { number: "asc" },
    });
    const page = await text(`/read/${d.number}`);
    // The market moment the calls were made in, not the moment the row was written.
    expect(page).toContain(`market as of ${d.cycle.asOf.toISOString().slice(0, 16).replace("T", " ")} UTC`);
    expect(page.match(/<article class="card call-card"/g)).toHaveLength(d.calls.length);
    // The essay's own call list is left out: each call appears in its card only.
    expect(page).not.toMatch(/CALL 1 {2}[↑↓]/);
    expect(page.split("Debate: ").length - 1).toBe(1);
    for (const call of d.calls) {
      const card = page.slice(
        page.indexOf(`id="call-${call.id}"`),
        page.indexOf("</article>", page.indexOf(`id="call-${call.id}"`)),
      );
      expect(card).toContain(`${call.entryPrice?.toFixed(2)} at `);
      expect(card).toContain(`${call.lockAt.toISOString().slice(0, 16).replace("T", " ")} UTC`);
      expect(card).toContain(`src="/charts/call/${call.id}.png"`);
      if (call.evidence) expect(card).toContain(call.evidence);
      const answers = await s.db.prisma.call.findMany({ where: { parentCallId: call.id } });
      const agree = answers.filter((a) => a.stance === "agree").length;
      const fade = answers.filter((a) => a.stance === "fade").length;
      expect(card).toContain(`↑ ${agree} agree · ↓ ${fade} fade`);
      if (answers.length) expect(card).toMatch(/crowd \d+% on the call/);
      else expect(card).toContain("no member answered yet");
    }
  });

  it("shows a member's fade as their call, linked to their page and to the desk call it answered", async () => {
    const id = s.memberCalls[0] as number;
    const page = await text(`/trail/${id}`);
    expect(page).toContain(`<a href="/u/local/${MEMBER.externalId}">`);
    expect(page).toContain("fade");
    expect(page).toMatch(/Answers desk call <a href="\/trail\/\d+">/);
    expect(page).toContain(`/charts/calibration/u/local/${MEMBER.externalId}.png`);
  });

  it("answers 404 for unknown calls, dispatches, members and servers", async () => {
    await text("/trail/999999", 404);
    expect((await get("/api/trail/999999")).status).toBe(404);
    await text("/read/999999", 404);
    await text("/u/discord/nobody", 404);
    expect((await get("/api/u/local/nobody")).status).toBe(404);
    await text("/leaderboard?server=no-such-server", 404);
    await text("/desk?server=no-such-server", 404);
    await text("/charts/calibration/u/local/nobody.png", 404);
    await text("/charts/calibration/desk.gif", 404);
  });

  it("escapes a hostile dispatch title and member name on every page", async () => {
    for (const path of [
      "/",
      "/read/1",
      `/trail/${s.memberCalls[0]}`,
      "/leaderboard?season=all",
      `/u/local/${MEMBER.externalId}`,
    ]) {
      const page = await text(path);
      expect(page, path).not.toContain(HOSTILE);
      expect(page, path).not.toContain("<script>");
    }
    expect(await text("/read/1")).toContain(
      "Tape &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co",
    );
  });

  it("ranks the leaderboard with the desk as a row and the same totals in JSON", async () => {
    const totals = await s.db.prisma.scoreTotal.findMany({ where: { season: "all" } });
    const desk = totals.find((t) => t.authorKey === "desk");
    const page = await text("/leaderboard?season=all");
    expect(page).toContain(
      '<tr class="desk"><td data-label="Who"><strong>Desk</strong></td><td data-label="Rank">—</td>',
    );
    expect(page).toContain(`<td data-label="Resolved">${desk?.resolved}</td>`);
    expect(page).toContain('src="/charts/leaderboard/board.png?season=all"');
    const api = (await (await get("/api/leaderboard?season=all")).json()) as {
      season: string;
      rows: { name: string; kind: string; isDesk: boolean; baselineSum: number; resolved: number }[];
    };
    expect(api.season).toBe("all");
    expect(api.rows.find((r) => r.kind === "desk")?.baselineSum).toBeCloseTo(
      desk?.baselineSum ?? Number.NaN,
      6,
    );
    expect(api.rows.filter((r) => !r.isDesk).map((r) => r.name)).toContain(MEMBER.displayName);
    expect((await get("/leaderboard?season=2026-13")).status).toBe(400);
    expect(await text("/leaderboard?season=2026-06")).toContain("Leaderboard · Local desk · 2026-06");
  });

  it("shows a member's record with their calls and charts", async () => {
    const page = await text(`/u/local/${MEMBER.externalId}`);
    for (const id of s.memberCalls) expect(page).toContain(`<a href="/trail/${id}">#${id}</a>`);
    expect(page).toContain(`/charts/score/u/local/${MEMBER.externalId}.png`);
    const api = (await (await get(`/api/u/local/${MEMBER.externalId}`)).json()) as {
      view: { summary: { resolved: number }; recent: unknown[] };
    };
    const resolved = await s.db.prisma.call.count({
      where: { member: { externalId: MEMBER.externalId }, status: { in: ["right", "wrong"] } },
    });
    expect(api.view.summary.resolved).toBe(resolved);
    expect(api.view.recent).toHaveLength(s.memberCalls.length);
  });

  it("shows the desk's record by mind, regime, asset and horizon, and its rules and lessons", async () => {
    const page = await text("/desk");
    for (const heading of [
      "By lead mind",
      "By regime",
      "By asset",
      "By horizon",
      "Learned rules",
      "Recent lessons",
    ])
      expect(page).toContain(heading);
    const resolved = await s.db.prisma.call.count({
      where: { authorType: "desk", status: { in: ["right", "wrong"] } },
    });
    expect(page).toContain(
      `<tr><td data-label="">All desk calls</td><td data-label="Resolved">${resolved}</td>`,
    );
    const api = (await (await get("/api/desk")).json()) as {
      record: { overall: { resolved: number } };
      lessons: unknown[];
    };
    expect(api.record.overall.resolved).toBe(resolved);
    expect(api.lessons.length).toBe(await s.db.prisma.lesson.count());
  });

  it("verifies the hash chain, and names the sequence where an edited call breaks it", async () => {
    // One record per call and one per verdict.
    const count =
      (await s.db.prisma.call.count()) +
      (await s.db.prisma.call.count({ where: { status: { not: "open" } } }));
    expect(await text("/verify")).toContain(`${count} records, seq 1–${count}`);
    const victim = await s.db.prisma.call.findFirstOrThrow({ where: { chainSeq: 3 } });
    await s.db.prisma.call.update({ where: { id: victim.id }, data: { probability: 0.99 } });
    try {
      const page = await text("/verify", 409);
      expect(page).toContain("broken");
      expect(page).toContain(`at seq 3: record 3 (call #${victim.id})`);
      expect(page).toContain("content changed: probability");
      const api = await get("/api/verify");
      expect(api.status).toBe(409);
      expect(((await api.json()) as { ok: boolean }).ok).toBe(false);
    } finally {
      await s.db.prisma.call.update({ where: { id: victim.id }, data: { probability: victim.probability } });
    }
    expect((await get("/verify")).status).toBe(200);
  });

  it("serves RSS 2.0 of the latest dispatches with absolute permalinks", async () => {
    const res = await get("/feed.xml");
    expect(res.headers.get("content-type")).toContain("application/rss+xml");
    const xml = await res.text();
    const dispatches = await s.db.prisma.dispatch.count();
    expect(xml).toMatch(/^<\?xml version="1.0"/);
    expect(xml).toContain('<rss version="2.0">');
    expect(xml.match(/<item>/g)).toHaveLength(dispatches);
    expect(xml).toContain(`<link>http://localhost/read/${dispatches}</link>`);
    // Markup in a title travels as text inside CDATA and comes back out unchanged.
    const feed = parseRssFeed(xml);
    expect(feed.items?.at(-1)?.title).toBe(`#1 Tape ${HOSTILE}`);
  });
});
