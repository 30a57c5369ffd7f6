import { type AnyFeed, parseFeed } from "feedsmith";
import { DateTime } from "luxon";
import { z } from "zod";
import { defaultHttp, getJson, getText, type HttpOptions, ProviderError } from "./http.ts";
import type { Filing, FilingQuery, FilingsPort } from "./ports.ts";

export const SEC_WWW_BASE_URL = "https://www.sec.gov";
export const SEC_DATA_BASE_URL = "https://data.sec.gov";

const tickersSchema = z.record(
  z.string(),
  z.object({ cik_str: z.number(), ticker: z.string(), title: z.string() }),
);

const submissionsSchema = z.object({
  cik: z.union([z.string(), z.number()]),
  name: z.string(),
  filings: z.object({
    recent: z.object({
      accessionNumber: z.array(z.string()),
      acceptanceDateTime: z.array(z.string()),
      form: z.array(z.string()),
      primaryDocument: z.array(z.string()),
    }),
  }),
});

/** "8-K - APPLE INC (0000320193) (Filer)" in the current-filings Atom feed. */
const FEED_TITLE = /^(\S+) - (.+) \((\d{10})\) \((\w+)\)$/;
const ACCESSION = /accession-number=(\d{10}-\d{2}-\d{6})/;

/**
 * SEC EDGAR: per-company submissions JSON (point-in-time through acceptance times) and the current
 * 8-K / Form 4 Atom feed. SEC refuses requests without a User-Agent naming a contact (403).
 */
export class EdgarFilings implements FilingsPort {
  readonly name = "sec-edgar";
  private ciks: Promise<Map<string, string>> | undefined;

  constructor(
    private readonly userAgent: string | undefined,
    private readonly urls = { www: SEC_WWW_BASE_URL, data: SEC_DATA_BASE_URL },
    private readonly http: HttpOptions = defaultHttp(),
  ) {}

  async recentFilings(query: FilingQuery, asOf: Date): Promise<Filing[]> {
    const ciks = await this.cikMap();
    const wanted = new Map<string, string>();
    for (const symbol of query.symbols) {
      const cik = ciks.get(symbol.toUpperCase());
      if (cik) wanted.set(cik, symbol);
    }
    const perCompany = await Promise.all([...wanted].map(([cik, symbol]) => this.submissions(cik, symbol)));
    const feeds = await Promise.all(query.forms.map((form) => this.currentFeed(form)));
    const byAccession = new Map<string, Filing>();
    for (const filing of [...perCompany.flat(), ...feeds.flat()]) {
      const symbol = filing.symbol ?? wanted.get(filing.cik) ?? null;
      // The feed is market-wide; keep its entries for the companies asked about, and garbled ones to flag.
      if (symbol === null && filing.parsed) continue;
      if (!query.forms.includes(filing.form) && filing.parsed) continue;
      if (filing.filedAt > asOf || filing.filedAt < query.since) continue;
      if (!byAccession.has(filing.accession)) byAccession.set(filing.accession, { ...filing, symbol });
    }
    return [...byAccession.values()].sort((a, b) => b.filedAt.getTime() - a.filedAt.getTime());
  }

  /** Entries of the current-filings feed for one form type ("8-K", "4"). */
  async currentFeed(form: string): Promise<Filing[]> {
    const url = `${this.urls.www}/cgi-bin/browse-edgar?action=getcurrent&type=${encodeURIComponent(form)}&company=&dateb=&owner=include&start=0&count=40&output=atom`;
    const text = await this.get(url);
    let parsed: AnyFeed;
    try {
      parsed = parseFeed(text);
    } catch (error) {
      throw new ProviderError(this.name, `current ${form} feed is not a feed: ${(error as Error).message}`);
    }
    if (parsed.format !== "atom")
      throw new ProviderError(this.name, `current ${form} feed is ${parsed.format}, not Atom`);
    return (parsed.feed.entries ?? []).map((entry) => {
      const title = entry.title?.value ?? "";
      const match = FEED_TITLE.exec(title.trim());
      const accession = ACCESSION.exec(entry.id ?? "")?.[1];
      const filedAt = new Date(entry.updated ?? "");
      const ok = match !== null && accession !== undefined && !Number.isNaN(filedAt.getTime());
      return {
        source: this.name,
        trust: "primary" as const,
        form: match?.[1] ?? form,
        company: match?.[2] ?? title,
        cik: match?.[3] ?? "",
        accession: accession ?? entry.id ?? title,
        // An entry we cannot date is dated at the epoch: old enough never to be seen as news.
        filedAt: ok ? filedAt : new Date(0),
        link: entry.links?.find((l) => l.rel === "alternate")?.href ?? entry.links?.[0]?.href ?? "",
        title,
        symbol: null,
        parsed: ok,
      };
    });
  }

  private async submissions(cik: string, symbol: string): Promise<Filing[]> {
    const url = `${this.urls.data}/submissions/CIK${cik}.json`;
    const body = await getJson(this.name, url, this.http, submissionsSchema, this.headers());
    const recent = body.filings.recent;
    return recent.accessionNumber.map((accession, i) => {
      const form = recent.form[i];
      const filedAt = acceptanceTime(recent.acceptanceDateTime[i]);
      const document = recent.primaryDocument[i];
      const ok = form !== undefined && filedAt !== undefined;
      return {
        source: this.name,
        trust: "primary" as const,
        form: form ?? "",
        company: body.name,
        cik,
        accession,
        filedAt: filedAt ?? new Date(0),
        link: `${this.urls.www}/Archives/edgar/data/${Number(cik)}/${accession.replaceAll("-", "")}/${document ?? ""}`,
        title: `${form ?? "?"} - ${body.name}`,
        symbol,
        parsed: ok,
      };
    });
  }

  private cikMap(): Promise<Map<string, string>> {
    this.ciks ??= getJson(
      this.name,
      `${this.urls.www}/files/company_tickers.json`,
      this.http,
      tickersSchema,
      this.headers(),
    )
      .then(
        (rows) =>
          new Map(
            Object.values(rows).map((r) => [r.ticker.toUpperCase(), String(r.cik_str).padStart(10, "0")]),
          ),
      )
      .catch((error: unknown) => {
        this.ciks = undefined; // a failed lookup is retried on the next cycle, not cached
        throw error;
      });
    return this.ciks;
  }

  private get(url: string): Promise<string> {
    return getText(this.name, url, this.http, this.headers());
  }

  private headers(): Record<string, string> {
    if (!this.userAgent)
      throw new ProviderError(this.name, "SEC_USER_AGENT is not set; SEC requires a name and contact email");
    return { "user-agent": this.userAgent };
  }
}

/**
 * acceptanceDateTime carries a "Z" but EDGAR accepts filings on New York time; reading the wall
 * time as New York is the later of the two readings, so a replay can only see a filing late, never early.
 */
function acceptanceTime(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const wall = DateTime.fromISO(text.replace(/Z$/, ""), { zone: "America/New_York" });
  return wall.isValid ? wall.toJSDate() : undefined;
}
