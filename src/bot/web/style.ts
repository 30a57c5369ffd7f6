/**
 * The web view's one stylesheet, inlined in every page (the CSP allows inline styles and nothing
 * else). Light and dark follow the reader's system. Below 1000 px every table becomes stacked cards,
 * each cell labelled from its `data-label`, so nothing scrolls sideways on a phone.
 */
export const STYLESHEET = `
:root {
  color-scheme: light dark;
  --bg: #f8f7f4; --fg: #1f2328; --muted: #5e6570; --line: #e3e0d9; --card: #ffffff;
  --accent: #2f5d8a; --right: #1d7544; --wrong: #b0291d; --void: #6a6f77;
  --flag-bg: #fbf0d2; --flag-fg: #6b4d00; --chip: #eef1f5;
  --serif: Charter, "Bitstream Charter", "Iowan Old Style", Georgia, "DejaVu Serif", serif;
  --sans: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
  --mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14161a; --fg: #e6e4df; --muted: #9aa1ab; --line: #2b2f36; --card: #1b1e23;
    --accent: #8db6e3; --right: #63c98f; --wrong: #f08a80; --void: #a3a7ae;
    --flag-bg: #3b321c; --flag-fg: #f1d894; --chip: #252a31;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.55 var(--sans); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.site { border-bottom: 1px solid var(--line); background: var(--card); }
.site-inner, main, .foot { max-width: 64rem; margin: 0 auto; padding: 0 1rem; }
.site-inner { display: flex; flex-wrap: wrap; align-items: baseline; gap: .25rem 1.5rem; padding-top: .8rem; padding-bottom: .8rem; }
.brand { color: var(--fg); font-weight: 700; letter-spacing: .12em; font-size: .9rem; }
.site nav { display: flex; flex-wrap: wrap; gap: .2rem 1rem; font-size: .9rem; }
.site nav a { color: var(--muted); }
main { padding-top: 1.5rem; padding-bottom: 2rem; }
h1, h2, h3, h4 { line-height: 1.25; font-weight: 650; margin: 1.6rem 0 .6rem; }
h1 { font: 700 1.9rem/1.2 var(--serif); margin-top: .3rem; overflow-wrap: anywhere; }
h1 a, h2 a { color: inherit; }
h2 { font-size: 1.3rem; } h3 { font-size: 1.05rem; } h4 { font-size: .95rem; }
p { margin: .6rem 0; }
main > p { max-width: 46rem; }
.prose { font: 1.1rem/1.7 var(--serif); max-width: 40rem; }
.prose p { margin: 0 0 1rem; }
.prose p.notice { background: var(--flag-bg); color: var(--flag-fg); border-radius: 8px; padding: .5rem .8rem; font: .9rem/1.5 var(--sans); }
.lede { font: 1.1rem/1.6 var(--serif); max-width: 40rem; }
.meta { color: var(--muted); font-size: .85rem; }
.flag { display: inline-block; background: var(--flag-bg); color: var(--flag-fg); border-radius: 999px; padding: 0 .55rem; font-size: .75rem; font-weight: 600; }
.right { color: var(--right); } .wrong { color: var(--wrong); } .void, .open, .locked { color: var(--void); }
.state { font-weight: 700; font-size: .75rem; letter-spacing: .06em; text-transform: uppercase; }
code { font: .8rem var(--mono); overflow-wrap: anywhere; word-break: break-all; }
img { max-width: 100%; height: auto; display: block; }
figure { margin: 1rem 0; }
figure img { border-radius: 8px; border: 1px solid var(--line); background: #fff; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
.charts figure { margin: 0; }
article.dispatch { border-bottom: 1px solid var(--line); padding-bottom: 1.2rem; margin-bottom: 1.5rem; }
article.dispatch h2 { font: 700 1.35rem/1.3 var(--serif); margin: .3rem 0 .5rem; overflow-wrap: anywhere; }
.call-line { display: flex; flex-wrap: wrap; gap: .2rem .7rem; padding: .35rem 0; border-top: 1px solid var(--line); font-size: .92rem; }
.calls { display: grid; grid-template-columns: repeat(auto-fill, minmax(19rem, 1fr)); gap: 1rem; margin: 1rem 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 1rem; min-width: 0; }
.card h3 { margin: 0 0 .2rem; font-size: 1.05rem; overflow-wrap: anywhere; }
.card .prob { font: 700 1.6rem/1 var(--serif); }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .8rem; margin: .7rem 0; font-size: .88rem; }
.card dt { color: var(--muted); } .card dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.card figure { margin: .6rem 0 0; }
.debate { display: flex; flex-wrap: wrap; gap: .4rem; margin: .8rem 0; }
.chip { background: var(--chip); border-radius: 999px; padding: .1rem .6rem; font-size: .8rem; }
.stats { display: flex; flex-wrap: wrap; gap: .6rem; margin: 1rem 0; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: .5rem .8rem; min-width: 7.5rem; }
.stat b { display: block; font: 700 1.3rem/1.2 var(--serif); }
.stat span { color: var(--muted); font-size: .78rem; }
table { border-collapse: collapse; width: 100%; font-size: .86rem; margin: .6rem 0 1rem; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: .78rem; border-bottom: 1px solid var(--line); padding: .35rem .45rem; }
td { padding: .35rem .45rem; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: break-word; font-variant-numeric: tabular-nums; }
td:first-child { overflow-wrap: anywhere; }
tr.desk td { background: var(--chip); }
.foot { color: var(--muted); font-size: .8rem; padding-bottom: 2rem; }
@media (max-width: 760px) {
  body { font-size: 15.5px; }
  h1 { font-size: 1.55rem; }
  .prose { font-size: 1.04rem; }
}
/* Below the width a full table needs, each row becomes a card; cards tile where there is room. */
@media (max-width: 1000px) {
  table.cards, table.cards tr, table.cards td { display: block; width: 100%; }
  table.cards tbody { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: .7rem; }
  table.cards thead { display: none; }
  table.cards tr { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: .5rem .8rem; min-width: 0; }
  table.cards td { border: 0; padding: .15rem 0; text-align: right; overflow-wrap: anywhere; }
  table.cards td::after { content: ""; display: block; clear: both; }
  table.cards td::before { content: attr(data-label); color: var(--muted); float: left; text-align: left; margin-right: 1rem; max-width: 45%; }
  /* Prose cells (a mind's reasoning, a rule's why) read better under their label than beside it. */
  table.cards.stack td { text-align: left; }
  table.cards.stack td::before { float: none; display: block; font-size: .78rem; max-width: none; }
  table.cards td:first-child { display: block; text-align: left; font-weight: 650; border-bottom: 1px solid var(--line); padding-bottom: .3rem; margin-bottom: .2rem; }
  table.cards td:first-child::before { content: none; }
  table.cards td:empty { display: none; }
}
`;
