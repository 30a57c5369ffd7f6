import { type AnyFeed, parseFeed } from "feedsmith";
import type { Trust } from "../domain/observation.ts";
import { defaultHttp, getText, type HttpOptions, ProviderError } from "./http.ts";
import type { Headline, NewsPort } from "./ports.ts";

export interface FeedSource {
  id: string;
  url: string;
  trust: Trust;
}

/** Built-in feeds; operators add their own through NEWS_FEEDS, which are marked untrusted. */
export const DEFAULT_FEEDS: FeedSource[] = [
  { id: "bbc", url: "https://feeds.bbci.co.uk/news/world/rss.xml", trust: "secondary" },
  { id: "cnbc", url: "https://www.cnbc.com/id/100003114/device/rss/rss.html", trust: "secondary" },
  { id: "dw", url: "https://rss.dw.com/rdf/rss-en-all", trust: "secondary" },
];

export function configuredFeeds(extraUrls: readonly string[]): FeedSource[] {
  return [
    ...DEFAULT_FEEDS,
    ...extraUrls.map((url) => ({ id: new URL(url).host, url, trust: "untrusted" as const })),
  ];
}

/** RSS 2.0, Atom and RSS 1.0 (RDF, as DW publishes) through one parser. */
export class RssNews implements NewsPort {
  readonly name = "rss";

  constructor(
    private readonly feeds: readonly FeedSource[] = DEFAULT_FEEDS,
    private readonly http: HttpOptions = defaultHttp(),
  ) {}

  async headlines(asOf: Date, limit: number): Promise<Headline[]> {
    const results = await Promise.allSettled(this.feeds.map((feed) => this.read(feed, asOf)));
    const headlines = results.flatMap((r) => (r.status === "fulfilled" ? r.value : []));
    // One dead feed is tolerable; all of them dead is a source down.
    if (headlines.length === 0 && results.every((r) => r.status === "rejected")) {
      const reasons = results.map((r) => (r.status === "rejected" ? String(r.reason) : "")).join("; ");
      throw new ProviderError(this.name, `every feed failed: ${reasons}`);
    }
    return headlines.sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime()).slice(0, limit);
  }

  async read(feed: FeedSource, asOf: Date): Promise<Headline[]> {
    const text = await getText(feed.id, feed.url, this.http, {
      accept: "application/rss+xml, application/rdf+xml, application/atom+xml, text/xml",
    });
    let parsed: AnyFeed;
    try {
      parsed = parseFeed(text);
    } catch (error) {
      throw new ProviderError(feed.id, `not a feed: ${(error as Error).message}`);
    }
    const items = itemsOf(parsed);
    return items
      .filter((item) => item.title && item.publishedAt && item.publishedAt <= asOf)
      .map((item) => ({
        source: feed.id,
        trust: feed.trust,
        feed: feed.id,
        title: item.title!.trim(),
        link: item.link ?? "",
        publishedAt: item.publishedAt!,
      }));
  }
}

interface RawItem {
  title: string | undefined;
  link: string | undefined;
  publishedAt: Date | undefined;
}

function itemsOf(parsed: AnyFeed): RawItem[] {
  switch (parsed.format) {
    case "rss":
      return (parsed.feed.items ?? []).map((i) => ({
        title: i.title,
        link: i.link,
        publishedAt: dateOf(i.pubDate ?? i.dc?.dates?.[0]),
      }));
    case "rdf":
      return (parsed.feed.items ?? []).map((i) => ({
        title: i.title,
        link: i.link,
        publishedAt: dateOf(i.dc?.dates?.[0]),
      }));
    case "atom":
      return (parsed.feed.entries ?? []).map((e) => ({
        title: e.title?.value,
        link: e.links?.[0]?.href,
        publishedAt: dateOf(e.published ?? e.updated),
      }));
    case "json":
      return (parsed.feed.items ?? []).map((i) => ({
        title: i.title,
        link: i.url,
        publishedAt: dateOf(i.date_published),
      }));
  }
}

/** An item without a readable date is dropped: it cannot be placed before or after asOf. */
function dateOf(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
