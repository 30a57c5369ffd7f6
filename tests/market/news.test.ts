import { beforeEach, describe, expect, it } from "vitest";
import { configuredFeeds, RssNews } from "../../src/market/news.ts";
import { fakeProvider, fastHttp } from "./fake-provider.ts";

const server = fakeProvider();

const BBC_RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title><![CDATA[BBC News]]></title><description><![CDATA[BBC News - World]]></description><link>https://www.bbc.co.uk/news/world</link>
<generator>RSS for Node</generator><lastBuildDate>Wed, 01 Apr 2026 12:40:11 GMT</lastBuildDate>
<atom:link href="https://feeds.bbci.co.uk/news/world/rss.xml" rel="self" type="application/rss+xml"/><copyright><![CDATA[Copyright: (C) British Broadcasting Corporation]]></copyright><language><![CDATA[en-gb]]></language><ttl>15</ttl>
<item><title><![CDATA[Central banks signal patience as oil slips]]></title><description><![CDATA[Markets weigh the outlook.]]></description><link>https://www.bbc.com/news/articles/c1abc?at_medium=RSS&amp;at_campaign=rss</link><guid isPermaLink="false">https://www.bbc.com/news/articles/c1abc#0</guid><pubDate>Wed, 01 Apr 2026 11:02:45 GMT</pubDate><media:thumbnail width="240" height="135" url="https://ichef.bbci.co.uk/ace/standard/240/x.jpg"/></item>
<item><title><![CDATA[An item from the future]]></title><link>https://www.bbc.com/news/articles/c9future</link><pubDate>Wed, 01 Apr 2026 18:00:00 GMT</pubDate></item>
<item><title><![CDATA[An item without a date]]></title><link>https://www.bbc.com/news/articles/c0nodate</link></item>
</channel></rss>`;

/** DW publishes RSS 1.0: RDF with dc:date. */
const DW_RDF = `<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel rdf:about="https://www.dw.com/en/top-stories/s-9097?maca=en-rss-en-all-1573-rdf"><title>Deutsche Welle: DW.com - News</title><link>https://www.dw.com/en/top-stories/s-9097?maca=en-rss-en-all-1573-rdf</link><description>All news from DW</description><dc:language>en</dc:language><dc:date>2026-04-01T12:30:00Z</dc:date>
<items><rdf:Seq><rdf:li rdf:resource="https://www.dw.com/en/eu-trade/a-1001?maca=en-rss-en-all-1573-rdf"/></rdf:Seq></items></channel>
<item rdf:about="https://www.dw.com/en/eu-trade/a-1001?maca=en-rss-en-all-1573-rdf"><title>EU readies response to new US tariffs</title><link>https://www.dw.com/en/eu-trade/a-1001?maca=en-rss-en-all-1573-rdf</link><description>Brussels says it is prepared.</description><dc:date>2026-04-01T12:10:00Z</dc:date><dc:language>en</dc:language></item>
</rdf:RDF>`;

const feeds = () => [
  { id: "bbc", url: `${server.url}/news/world/rss.xml`, trust: "secondary" as const },
  { id: "dw", url: `${server.url}/rdf/rss-en-all`, trust: "secondary" as const },
];

describe("RSS/RDF news adapter", () => {
  beforeEach(() => server.reset());

  it("reads RSS 2.0 and DW's RDF, newest first, dropping items after asOf or without a date", async () => {
    server.route("/news/world/rss.xml", { body: BBC_RSS });
    server.route("/rdf/rss-en-all", { body: DW_RDF });
    const { headlines, failedFeeds } = await new RssNews(feeds(), fastHttp()).headlines(
      new Date("2026-04-01T13:00:00Z"),
      10,
    );
    expect(failedFeeds).toEqual([]);
    expect(headlines.map((h) => [h.feed, h.title, h.publishedAt.toISOString()])).toEqual([
      ["dw", "EU readies response to new US tariffs", "2026-04-01T12:10:00.000Z"],
      ["bbc", "Central banks signal patience as oil slips", "2026-04-01T11:02:45.000Z"],
    ]);
  });

  it("names a dead feed beside the others' headlines, and calls the news down when every feed fails", async () => {
    server.route("/news/world/rss.xml", { status: 502, body: "Bad Gateway" });
    server.route("/rdf/rss-en-all", { body: DW_RDF });
    const news = new RssNews(feeds(), fastHttp());
    const batch = await news.headlines(new Date("2026-04-02T00:00:00Z"), 10);
    expect(batch.headlines).toHaveLength(1);
    expect(batch.failedFeeds).toEqual([{ feed: "bbc", error: expect.stringMatching(/502/) }]);
    server.route("/rdf/rss-en-all", { body: "<html><body>Maintenance</body></html>" });
    await expect(news.headlines(new Date("2026-04-02T00:00:00Z"), 10)).rejects.toThrow(/every feed failed/);
  });

  it("marks operator-added feeds untrusted and keeps the built-in ones unless told not to", async () => {
    const own = configuredFeeds(["https://example.org/markets.xml"], false);
    expect(own.map((f) => f.id)).toEqual(["example.org"]);
    // No feed at all is an empty news flow, not a source down.
    expect(await new RssNews([], fastHttp()).headlines(new Date("2026-04-02T00:00:00Z"), 10)).toEqual({
      headlines: [],
      failedFeeds: [],
    });
    const all = configuredFeeds(["https://example.org/markets.xml"]);
    expect(all.map((f) => f.id)).toEqual(["bbc", "cnbc", "dw", "example.org"]);
    expect(all.at(-1)!.trust).toBe("untrusted");
    expect(all.find((f) => f.id === "dw")!.url).toContain("/rdf/");
  });
});
