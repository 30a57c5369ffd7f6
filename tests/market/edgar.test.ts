import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { EdgarFilings } from "../../src/market/edgar.ts";
import { PROVIDER_INTERVALS_MS, ProviderError } from "../../src/market/http.ts";
import { HostRateLimiter } from "../../src/market/rate-limiter.ts";
import { PATIENT } from "../support/process.ts";
import { fakeProvider, fastHttp, ManualClock, type SeenRequest } from "./fake-provider.ts";

const server = fakeProvider();
const UA = "Tapereader test ops@example.com";

const TICKERS = JSON.stringify({
  "0": { cik_str: 1045810, ticker: "NVDA", title: "NVIDIA CORP" },
  "1": { cik_str: 320193, ticker: "AAPL", title: "Apple Inc." },
});

const SUBMISSIONS = JSON.stringify({
  cik: "320193",
  entityType: "operating",
  sic: "3571",
  name: "Apple Inc.",
  tickers: ["AAPL"],
  exchanges: ["Nasdaq"],
  filings: {
    recent: {
      accessionNumber: ["0000320193-26-000041", "0001140361-26-012345", "0000320193-26-000030"],
      filingDate: ["2026-04-02", "2026-04-01", "2026-03-20"],
      reportDate: ["2026-04-01", "2026-03-30", "2026-03-19"],
      acceptanceDateTime: [
        "2026-04-02T16:31:05.000Z",
        "2026-04-01T18:02:59.000Z",
        "2026-03-20T16:30:00.000Z",
      ],
      act: ["34", "", "34"],
      form: ["8-K", "4", "8-K"],
      fileNumber: ["001-36743", "", "001-36743"],
      filmNumber: ["26812345", "", "26800001"],
      items: ["2.02,9.01", "", "5.07"],
      size: [321456, 4567, 123456],
      isXBRL: [1, 0, 1],
      isInlineXBRL: [1, 0, 1],
      primaryDocument: ["aapl-20260401.htm", "xslF345X05/wk-form4_1711.xml", "aapl-20260319.htm"],
      primaryDocDescription: ["8-K", "FORM 4", "8-K"],
    },
    files: [],
  },
});

/** SEC's answer to a client that does not declare itself. */
const UNDECLARED = `<!DOCTYPE html><html><head><title>SEC.gov | Request Rate Threshold Exceeded</title></head><body><h1>Your Request Originates from an Undeclared Automated Tool</h1><p>To allow for equitable access to all users, SEC reserves the right to limit requests originating from undeclared automated tools.</p></body></html>`;

/** Like SEC: 403 unless the User-Agent carries a contact address. */
const declared = (body: string) => (request: SeenRequest) =>
  String(request.headers["user-agent"]).includes("@") ? { body } : { status: 403, body: UNDECLARED };

const atom = readFileSync(path.join(import.meta.dirname, "fixtures", "edgar-current-8k.atom"), "utf8");

function routeAll() {
  server.route("/files/company_tickers.json", declared(TICKERS));
  server.route("/submissions/CIK0000320193.json", declared(SUBMISSIONS));
  server.route("/submissions/CIK0001045810.json", declared(SUBMISSIONS.replace("Apple Inc.", "NVIDIA CORP")));
  server.route("/cgi-bin/browse-edgar", declared(atom));
}

const edgar = (userAgent: string | undefined) =>
  new EdgarFilings(userAgent, { www: server.url, data: server.url }, fastHttp());

describe("SEC EDGAR adapter", () => {
  beforeEach(() => {
    server.reset();
    routeAll();
  });

  it("reads submissions and the current feed, as of a moment, for the companies asked about", async () => {
    const asOf = new Date("2026-04-02T16:00:00Z"); // 12:00 New York
    const filings = await edgar(UA).recentFilings(
      { forms: ["8-K", "4"], symbols: ["AAPL", "NVDA"], since: new Date("2026-03-30T00:00:00Z") },
      asOf,
    );
    const accessions = filings.map((f) => f.accession);
    // The NVDA 8-K at 11:48 New York is in; the one at 12:01 is after asOf; the small cap was not asked for.
    expect(accessions).toContain("0001045810-26-000031");
    expect(accessions).not.toContain("0001045810-26-000032");
    expect(accessions).not.toContain("0001999999-26-000002");
    // Apple's Form 4 accepted 2026-04-01 18:02 (New York) is in; its 8-K of 04-02 16:31 is not yet.
    expect(accessions).toContain("0001140361-26-012345");
    expect(accessions).not.toContain("0000320193-26-000041");
    // Older than `since`.
    expect(accessions).not.toContain("0000320193-26-000030");
    const nvda = filings.find((f) => f.accession === "0001045810-26-000031")!;
    expect(nvda).toMatchObject({
      form: "8-K",
      company: "NVIDIA CORP",
      cik: "0001045810",
      symbol: "NVDA",
      parsed: true,
    });
    expect(filings.find((f) => f.accession === "0001140361-26-012345")!.link).toBe(
      `${server.url}/Archives/edgar/data/320193/000114036126012345/xslF345X05/wk-form4_1711.xml`,
    );
  });

  it("keeps a feed entry it cannot parse, marked unparsed, rather than dropping it", async () => {
    const filings = await edgar(UA).recentFilings(
      { forms: ["8-K"], symbols: ["NVDA"], since: new Date(0) },
      new Date("2026-04-03T00:00:00Z"),
    );
    const garbled = filings.filter((f) => !f.parsed);
    expect(garbled).toHaveLength(1);
    expect(garbled[0]!.title).toBe("8-K GARBLED ENTRY WITHOUT CIK");
  });

  it("gets SEC's 403 when the User-Agent names no contact, and does not retry it", async () => {
    const error = await edgar("Mozilla/5.0")
      .recentFilings({ forms: ["8-K"], symbols: ["AAPL"], since: new Date(0) }, new Date())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).status).toBe(403);
    expect((error as Error).message).toContain("Undeclared Automated Tool");
    expect(server.seen).toHaveLength(1);
  });

  it("refuses to call SEC at all without a configured User-Agent", async () => {
    await expect(
      edgar(undefined).recentFilings({ forms: ["8-K"], symbols: ["AAPL"], since: new Date(0) }, new Date()),
    ).rejects.toThrow(/SEC_USER_AGENT is not set/);
    expect(server.seen).toHaveLength(0);
  });

  it("stays under 10 requests a second to SEC", async () => {
    // The fake host gets SEC's spacing, on a clock the test moves: a request may go only when its slot comes.
    const interval = PROVIDER_INTERVALS_MS["www.sec.gov"]!;
    expect(interval).toBeGreaterThanOrEqual(100);
    const clock = new ManualClock();
    const limiter = new HostRateLimiter({ [new URL(server.url).host]: interval }, 0, clock);
    const limited = new EdgarFilings(UA, { www: server.url, data: server.url }, fastHttp({ limiter }));
    const feeds = Promise.all(["8-K", "4", "8-K", "4", "8-K"].map((form) => limited.currentFeed(form)));
    // All five ask at once: the first goes now, each next one is scheduled one interval after the one before.
    await vi.waitFor(() => expect(clock.pending()).toHaveLength(4), PATIENT);
    expect(clock.pending()).toEqual([1, 2, 3, 4].map((n) => n * interval));
    await vi.waitFor(() => expect(server.seen).toHaveLength(1), PATIENT);
    for (let sent = 2; sent <= 5; sent++) {
      clock.advance(interval - 1);
      expect(clock.pending()).toHaveLength(6 - sent); // not a millisecond early
      clock.advance(1);
      await vi.waitFor(() => expect(server.seen).toHaveLength(sent), PATIENT);
    }
    expect(await feeds).toHaveLength(5);
  });
});
