import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

type Content = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Server-rendered page shell: readable on a phone, no scripts, no front-end build. */
export function page(title: string, body: Content) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Tapereader</title>
<link rel="alternate" type="application/rss+xml" title="Tapereader dispatches" href="/feed.xml">
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 0 auto; padding: 1rem; color: #1d1d1f; }
  header a { color: inherit; text-decoration: none; font-weight: 700; letter-spacing: .08em; }
  nav a { margin-right: 1rem; }
  .meta { color: #666; font-size: .85rem; }
  .flag { background: #fff3cd; border-radius: 4px; padding: 0 .3rem; font-size: .8rem; }
  .call { font-family: ui-monospace, monospace; font-size: .9rem; padding: .3rem 0; border-top: 1px solid #eee; }
  .right { color: #137333; } .wrong { color: #b3261e; } .void, .open { color: #666; }
  article { margin-bottom: 2rem; } pre { white-space: pre-wrap; font-family: inherit; }
  table { border-collapse: collapse; width: 100%; font-size: .9rem; } td, th { text-align: left; padding: .25rem .4rem; border-bottom: 1px solid #eee; }
  img { max-width: 100%; height: auto; } figure { margin: 1rem 0; }
  /* On a phone a hash wraps and a wide table scrolls inside itself, never the whole page. */
  code { overflow-wrap: anywhere; font-size: .8rem; } table { display: block; overflow-x: auto; }
</style>
</head>
<body>
<header><a href="/">TAPEREADER DESK</a>
<nav class="meta"><a href="/">Dispatches</a><a href="/leaderboard">Leaderboard</a><a href="/desk">The desk's record</a><a href="/verify">Verify</a><a href="/anchors">Anchors</a></nav></header>
<main>${body}</main>
</body>
</html>`;
}
