import { stripBidi } from "../../commands/plain-text.ts";

/**
 * Slack reads `<…>` as links and mentions (`<!channel>`, `<!here>`, `<@U123>`), so every piece of text
 * the desk, a model or a member wrote is escaped before it reaches mrkdwn: then it can only ever show,
 * never ping. Slack's own escaping rules: &, < and > become entities; nothing else is special.
 */
export function escapeText(text: string): string {
  return (
    stripBidi(text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      // Bare "@here" only pings when a message is sent with link_names; a word joiner keeps it inert
      // even if a future edit turned that on.
      .replace(/@(channel|here|everyone)\b/gi, "@\u2060$1")
  );
}

/** Escaped and cut at a word boundary so a section stays under Slack's 3000-character limit. */
export function trimText(text: string, max: number): string {
  if (text.length <= max) return escapeText(text);
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${escapeText(cut.slice(0, space > max * 0.6 ? space : max).trimEnd())}…`;
}

/** A link whose label is escaped; the URL is ours (PUBLIC_URL), never member text. */
export function link(url: string, label: string): string {
  return `<${url}|${escapeText(label).replace(/\|/g, "¦")}>`;
}

export const pct = (p: number | null): string => (p === null ? "—" : `${Math.round(p * 100)}%`);

/** "Thu 16 Apr 15:05 UTC": short enough for a call line, unambiguous across time zones. */
export function when(moment: Date | string): string {
  const d = new Date(moment);
  const day = d.toLocaleDateString("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
  return `${day.replace(",", "")} ${d.toISOString().slice(11, 16)} UTC`;
}
