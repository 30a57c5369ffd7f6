import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { defaultServerSettings } from "../../src/agents/cycle/local-server.ts";
import { createWebApp } from "../../src/bot/web/app.ts";
import { type Database, openDatabase } from "../../src/store/database.ts";
import { migrate } from "../../src/store/migrator.ts";
import { ensureServer } from "../../src/store/servers.ts";
import { capturedLogger, LEVEL } from "../support/captured-log.ts";

describe("the public web surface", () => {
  let db: Database;
  const captured = capturedLogger();
  let app: ReturnType<typeof createWebApp>;
  beforeAll(async () => {
    db = await openDatabase({ kind: "pglite", dataDir: "memory://" });
    await migrate(db);
    app = createWebApp({
      db,
      log: captured.log,
      health: () => ({ scheduler: true, surfaces: { web: true } }),
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  it("answers 404, never 500, to ids outside int4 and NUL in paths, and writes nothing to stderr", async () => {
    const stderr = vi.spyOn(process.stderr, "write");
    const consoleError = vi.spyOn(console, "error");
    try {
      for (const path of [
        "/read/2147483648",
        "/api/dispatches/99999999999999999999",
        "/trail/2147483648",
        "/api/trail/99999999999999999999",
        "/anchors/2147483648.tsr",
        "/u/discord/%00",
        "/api/u/discord/%00",
        "/u/%00/u-eve",
        "/charts/score/u/discord/%00.png",
      ]) {
        const res = await app.request(path);
        expect(res.status, path).toBe(404);
      }
      expect(stderr).not.toHaveBeenCalled();
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      stderr.mockRestore();
      consoleError.mockRestore();
    }
    // The largest int4 is still an id: it is simply not there.
    expect((await app.request("/read/2147483647")).status).toBe(404);
  });

  it("logs an error a route throws as one pino JSON line and answers a bare 500", async () => {
    const broken = await openDatabase({ kind: "pglite", dataDir: "memory://" });
    await broken.close();
    const log = capturedLogger();
    const failing = createWebApp({
      db: broken,
      log: log.log,
      health: () => ({ scheduler: true, surfaces: {} }),
    });
    const consoleError = vi.spyOn(console, "error");
    try {
      const res = await failing.request("/api/dispatches/1");
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: "internal error" });
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      consoleError.mockRestore();
    }
    const errors = log.entries.filter((e) => e.level === LEVEL.error);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: "web request failed", path: "/api/dispatches/1" });
  });

  it("sends secure headers on pages, JSON, feeds and errors", async () => {
    for (const [path, status] of [
      ["/", 200],
      ["/api/dispatches", 200],
      ["/feed.xml", 200],
      ["/healthz", 200],
      ["/trail/1", 404],
      ["/no-such-page", 404],
    ] as const) {
      const res = await app.request(path);
      expect(res.status, path).toBe(status);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("script-src 'none'");
      expect(csp, path).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), path).toBe("no-referrer");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
    }
  });

  it("shows a name stored with bidi controls (from before they were stripped at the door) without them", async () => {
    const server = await ensureServer(
      db.prisma,
      { platform: "discord", externalId: "G-bidi", name: "bidi" },
      defaultServerSettings(["QQQ"]),
    );
    await db.prisma.member.create({
      data: { serverId: server.id, externalId: "u-rlo", displayName: "\u202Eevil\u202C Eve\u200F" },
    });
    const res = await app.request("/u/discord/u-rlo");
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain("<h1>evil Eve</h1>");
    expect(page).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/);
    const api = (await (await app.request("/api/u/discord/u-rlo")).json()) as {
      view: { member: { displayName: string } };
    };
    expect(api.view.member.displayName).toBe("evil Eve");
  });
});
