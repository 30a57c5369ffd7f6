import { type AnyFeed, parseFeed } from "feedsmith";
import type { Trust } from "../domain/observation.ts";
import { defaultHttp, getText, type HttpOptions, ProviderError } from "./http.ts";
import type { Headline, HeadlineBatch, NewsPort } from "./ports.ts";

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

export function configuredFeeds(extraUrls: readonly string[], includeDefaults = true): FeedSource[] {
  return [
    ...(includeDefaults ? DEFAULT_FEEDS : []),
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

  async headlines(asOf: Date, limit: number): Promise<HeadlineBatch> {
    // No feed configured is a choice, not an outage.
    if (this.feeds.length === 0) return { headlines: [], failedFeeds: [] };
    const results = await Promise.allSettled(this.feeds.map((feed) => this.read(feed, asOf)));
    const headlines = results.flatMap((r) => (r.status === "fulfilled" ? r.value : []));
    const failedFeeds = results.flatMap((r, i) =>
      r.status === "rejected" ? [{ feed: this.feeds[i]?.id ?? "?", error: String(r.reason) }] : [],
    );
    // One dead feed is a flagged gap; all of them dead is the news source down.
    if (headlines.length === 0 && failedFeeds.length === results.length) {
      const reasons = failedFeeds.map((f) => f.error).join("; ");
      throw new ProviderError(this.name, `every feed failed: ${reasons}`);
    }
    headlines.sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime());
    return { headlines: headlines.slice(0, limit), failedFeeds };
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
