import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { STYLESHEET } from "./style.ts";

export type Content = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Server-rendered page shell: one inline stylesheet, no scripts, no front-end build. */
export function page(title: string, body: Content) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title} · Tapereader</title>
<link rel="alternate" type="application/rss+xml" title="Tapereader dispatches" href="/feed.xml">
<style>${/* our own constant, so unescaped */ raw(STYLESHEET)}</style>
</head>
<body>
<header class="site"><div class="site-inner"><a class="brand" href="/">TAPEREADER DESK</a>
<nav><a href="/">Dispatches</a><a href="/leaderboard">Leaderboard</a><a href="/desk">The desk's record</a><a href="/verify">Verify</a><a href="/anchors">Anchors</a></nav></div></header>
<main>${body}</main>
<footer class="foot">All times are UTC. Every call is resolved mechanically from market data and kept on a hash-chained public record.</footer>
</body>
</html>`;
}

type Cell = Content | string | number;
/** A row's cells, or its cells with a class (the desk's row on the leaderboard). */
export type Row = readonly Cell[] | { cells: readonly Cell[]; className: string };

/**
 * A table that turns into stacked cards on a phone: every cell carries its column's name as
 * `data-label`, and the first cell of a row becomes the card's title.
 */
export function cardTable(head: readonly string[], rows: readonly Row[], className = "") {
  const tr = (row: Row) => {
    const [cells, cls] = "cells" in row ? [row.cells, row.className] : [row, ""];
    return html`<tr${cls ? html` class="${cls}"` : ""}>${cells.map((cell, i) => html`<td data-label="${head[i] ?? ""}">${cell}</td>`)}</tr>`;
  };
  return html`<table class="cards${className ? ` ${className}` : ""}"><thead><tr>${head.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows.map(tr)}</tbody></table>`;
}
