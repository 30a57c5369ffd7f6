import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureLocalServer } from "../../src/agents/cycle/local-server.ts";
import { dispatched, runCycle } from "../../src/agents/cycle/service.ts";
import { loadConfig } from "../../src/config/index.ts";
import { callSpecSchema, lockAtOf } from "../../src/domain/call.ts";
import { defaultHttp } from "../../src/market/http.ts";
import { DEFAULT_SYMBOLS, type MarketSource, marketSource } from "../../src/market/index.ts";
import { RssNews } from "../../src/market/news.ts";
import { sweepDueCalls } from "../../src/resolution/sweep.ts";
import { appendCall } from "../../src/store/calls.ts";
import type { Database } from "../../src/store/database.ts";
import { ensureMember } from "../../src/store/servers.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { offlineDesk } from "../support/desk.ts";
import { type FakeYahoo, fakeYahoo, type SilentServer, silentServer } from "../support/market-servers.ts";

/** Yahoo's adapter asks 4 times (3 retries) before it gives a symbol up. */
const DOWN = /down after 4 attempts \(TimeoutError/;
const GRACE_HOURS = 24;

describe.each(testDatabases())("market sources timing out, on $label", (target) => {
  let db: Database;
  let silent: SilentServer;
  let yahoo: FakeYahoo;
  let market: MarketSource;
  let graceHours: number;

  beforeAll(async () => {
    db = await openMigrated(target);
    silent = await silentServer();
    yahoo = await fakeYahoo(7);
    // The live factory, configured as an operator would: every provider but Yahoo never answers.
    const config = loadConfig({
      MARKET_SOURCE: "live",
      // Long enough for the healthy fake to answer on a loaded machine; the silent ones never do.
      MARKET_TIMEOUT_MS: "1000",
      RESOLUTION_GRACE_HOURS: String(GRACE_HOURS),
      YAHOO_BASE_URL: yahoo.url,
      COINGECKO_BASE_URL: silent.url,
      FRED_BASE_URL: silent.url,
      FRED_API_BASE_URL: silent.url,
      FRED_API_KEY: "test-key",
      SEC_BASE_URL: silent.url,
      SEC_DATA_BASE_URL: silent.url,
      SEC_USER_AGENT: "Tapereader tests tests@example.org",
    });
    graceHours = config.resolutionGraceHours;
    // The built-in RSS feeds are fixed internet addresses with no base-URL setting, so the news
    // port is the same adapter aimed at the silent server: a test never reaches the internet.
    const news = new RssNews(
      [{ id: "silent", url: `${silent.url}/rss.xml`, trust: "secondary" }],
      defaultHttp({ timeoutMs: config.market.timeoutMs }),
    );
    market = { ...marketSource(config.market), news };
  });
  afterAll(async () => {
    await yahoo?.close();
    await silent?.close();
    await db?.close();
    await target.dispose();
  });

  const cycle = (at: string) =>
    ensureLocalServer(db).then((server) =>
      runCycle(offlineDesk(db, market), server, new Date(at)).then(dispatched),
    );

  it("some sources hang: the cycle completes, flags what is missing, and calls only what it could price", async () => {
    const missing = ["QQQ", "NVDA", "BTC-USD"];
    for (const symbol of missing) yahoo.hanging.add(symbol);
    const started = Date.now();
    const result = await cycle("2026-06-10T15:00:00Z");
    const seconds = (Date.now() - started) / 1000;
    const observations = await db.prisma.observation.findMany({ where: { cycleId: result.cycle.id } });
    const observed = (id: string) => observations.find((o) => o.id === `${result.cycle.id}/${id}`);
    const errorOf = (id: string) => (observed(id)?.payload as { error?: string } | undefined)?.error;

    for (const symbol of missing) {
      const id = `${symbol === "BTC-USD" ? "crypto" : "quote"}:${symbol}`;
      expect(observed(id)).toMatchObject({ value: null, flags: ["source_down"] });
      expect(errorOf(id)).toMatch(DOWN);
    }
    // Crypto fell back to CoinGecko, which hung too: the error names both.
    expect(errorOf("crypto:BTC-USD")).toMatch(/yahoo.*\|.*coingecko/);
    for (const id of ["macro:DGS10", "macro:CPIAUCSL", "headline:unavailable", "filing:unavailable"]) {
      expect(observed(id)?.flags).toContain("source_down");
    }
    expect(observed("quote:SPY")?.value).toBeGreaterThan(0);

    expect(result.dispatch.flags).toContain("quality_flags");
    expect(result.dispatch.body).toContain("QQQ: source_down");
    const stances = await db.prisma.mindStance.findMany({ where: { cycleId: result.cycle.id } });
    for (const symbol of missing) {
      const onSymbol = stances.filter((s) => s.symbol === symbol);
      expect(onSymbol).toHaveLength(6); // three minds, two rounds
      for (const stance of onSymbol) {
        expect(stance).toMatchObject({ abstained: true, direction: null, probability: null });
        expect(stance.reason).toBe(
          `No price for ${symbol} in the snapshot (source_down): nothing to stand on.`,
        );
      }
    }
    expect(result.output.suppressed).toEqual(
      expect.arrayContaining(missing.map((symbol) => ({ symbol, reason: "no price in the snapshot" }))),
    );
    const calledOn = result.calls.map((c) => c.symbol);
    for (const symbol of missing) expect(calledOn).not.toContain(symbol);
    console.info(
      `some sources hanging: cycle ${result.cycle.status} in ${seconds.toFixed(1)} s, ` +
        `${observations.filter((o) => o.flags.includes("source_down")).length} of ${observations.length} ` +
        `observations source_down, calls on ${calledOn.join(", ") || "nothing"}; Yahoo asked ` +
        `${yahoo.requests.get("QQQ")} times for QQQ, silent providers got ${silent.connections} connections`,
    );
  });

  it("every source hangs: the cycle completes with no call, every mind abstaining on every symbol", async () => {
    for (const symbol of DEFAULT_SYMBOLS) yahoo.hanging.add(symbol);
    const result = await cycle("2026-06-11T15:00:00Z");
    expect(result.cycle.status).toBe("no_call");
    expect(result.calls).toEqual([]);
    expect(result.dispatch.flags).toEqual(expect.arrayContaining(["quality_flags", "no_call"]));
    const observations = await db.prisma.observation.findMany({ where: { cycleId: result.cycle.id } });
    expect(observations.every((o) => o.value === null && o.flags.includes("source_down"))).toBe(true);
    const stances = await db.prisma.mindStance.findMany({ where: { cycleId: result.cycle.id } });
    expect(stances.length).toBeGreaterThan(0);
    for (const stance of stances) {
      expect(stance.abstained).toBe(true);
      expect(stance.reason).toContain(`No price for ${stance.symbol} in the snapshot (source_down)`);
    }
    console.info(
      `every source hanging: ${observations.length} observations all source_down, ${stances.length} stances all abstaining`,
    );
  });

  it("a call due while quotes time out stays open and backs off, then is voided after the grace period", async () => {
    // Whatever the earlier cycles called resolves first, on a Yahoo that answers again.
    yahoo.hanging.clear();
    await sweepDueCalls({ db, quotes: market.quotes, now: new Date("2026-06-30T00:00:00Z"), graceHours });
    yahoo.hanging.add("SPY");
    const server = await ensureLocalServer(db);
    const member = await ensureMember(db.prisma, server.id, "u1", "Ada");
    const spec = callSpecSchema.parse({
      kind: "direction",
      symbol: "SPY",
      direction: "up",
      horizonHours: 48,
      probability: 0.6,
      madeAt: "2026-07-01T15:00:00Z",
    });
    const common = { serverId: server.id, spec, lockAt: lockAtOf(spec, 0.25), entryPrice: 600 };
    const desk = (
      await appendCall(db.prisma, { ...common, authorType: "desk", mind: "flow", source: "dispatch" })
    ).call;
    const mine = (
      await appendCall(db.prisma, {
        ...common,
        authorType: "member",
        memberId: member.id,
        source: "button",
        stance: "agree",
        parentCallId: desk.id,
      })
    ).call;
    const ids = [desk.id, mine.id];
    const rows = () => db.prisma.call.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } });
    const deadline = desk.deadline.getTime();
    const at = (minutes: number) => new Date(deadline + minutes * 60_000);
    const sweep = (now: Date) => sweepDueCalls({ db, quotes: market.quotes, now, graceHours });
    const asked = () => yahoo.requests.get("SPY") ?? 0;

    const before = asked();
    expect(await sweep(at(1))).toMatchObject({ due: 2, resolved: [], postponed: 2, lookups: 1 });
    expect(asked() - before).toBe(4);
    for (const row of await rows()) {
      expect(row).toMatchObject({ status: "open", attempts: 1, nextAttemptAt: at(1 + 5) });
    }
    // Not due again before its next attempt: no lookup at all.
    expect(await sweep(at(3))).toMatchObject({ due: 0, lookups: 0 });
    expect(await sweep(at(6))).toMatchObject({ due: 2, postponed: 2 });
    for (const row of await rows()) {
      expect(row).toMatchObject({ status: "open", attempts: 2, nextAttemptAt: at(6 + 10) });
    }

    const totals = async () =>
      (await db.prisma.scoreTotal.findMany({ where: { serverId: server.id, season: "all" } }))
        .map((t) => ({ author: t.authorKey, voids: t.voids, resolved: t.resolved }))
        .filter((t) => t.author === "desk" || t.author === member.id)
        .sort((a, b) => (a.author === "desk" ? -1 : b.author === "desk" ? 1 : 0));
    const [deskBefore] = await totals();
    const late = await sweep(at(graceHours * 60 + 1));
    expect(late.resolved.map((v) => v.callId).sort()).toEqual(ids);
    for (const row of await rows()) {
      expect(row).toMatchObject({
        status: "void",
        voidReason: "data_unavailable",
        outcome: null,
        brier: null,
      });
      expect(row.evidence).toMatch(
        new RegExp(`^no price for SPY within ${graceHours}h of the deadline \\(SPY: yahoo: `),
      );
      expect(row.evidence).toMatch(DOWN);
    }
    // A void counts as a void for both authors, never as a miss.
    expect(await totals()).toEqual([
      { author: "desk", voids: (deskBefore?.voids ?? 0) + 1, resolved: deskBefore?.resolved ?? 0 },
      { author: member.id, voids: 1, resolved: 0 },
    ]);
    console.info(
      `SPY quotes timing out: attempts 1 (+5 min), 2 (+10 min), void after ${graceHours}h; ` +
        `${asked() - before} Yahoo requests over 3 sweeps; evidence: ${(await rows())[0]?.evidence}`,
    );
  });
});
