/**
 * Model output and third-party text are untrusted. Before any of it reaches a channel it loses
 * every way to ping people (Discord @everyone/@here, <@id>, <@&role>; Slack <!channel>, <!here>,
 * <!subteam^id>) and is cut to a length the surfaces can show.
 */
const MENTIONS: readonly RegExp[] = [
  /<@[!&]?\d+>/g, // Discord user and role mentions
  /<!(?:channel|here|everyone)(?:\|[^>]*)?>/gi, // Slack broadcast mentions
  /<!subteam\^[A-Z0-9]+(?:\|[^>]*)?>/gi, // Slack user-group mentions
  /<@[UW][A-Z0-9]+(?:\|[^>]*)?>/g, // Slack user mentions
];
const BROADCAST = /@(everyone|here)\b/gi;

export function stripMentions(text: string): string {
  // Until nothing changes: removing "<@1>" from "<<@1>@1>" (or the @ from "@@here") makes another.
  for (let out = text; ; ) {
    let next = out;
    for (const pattern of MENTIONS) next = next.replace(pattern, "");
    // Keep the word so the sentence still reads, but without the @ that makes it a ping.
    next = next.replace(BROADCAST, "$1");
    if (next === out) return out;
    out = next;
  }
}

/** Control characters other than newline and tab can hide text or break rendering. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point here.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

export function cleanModelText(text: string, maxChars: number): string {
  const cleaned = stripMentions(text.replace(CONTROL, ""))
    .replace(/[ \t]+\n/g, "\n")
    .trim();
  if (cleaned.length <= maxChars) return cleaned;
  const cut = cleaned.slice(0, maxChars - 1);
  const lastSpace = cut.lastIndexOf(" ");
  // Cutting can end a word early: "@here123" cut after "@here" would become a live "@here…".
  return `${stripMentions(lastSpace > maxChars * 0.8 ? cut.slice(0, lastSpace) : cut)}…`;
}

/** Third-party text handed to the model: one line, bounded, and unable to close the data fence around it. */
export function fenceUntrusted(text: string, maxChars = 300): string {
  return cleanModelText(text.replace(/\s+/g, " "), maxChars).replace(/<\/?untrusted[^>]*>/gi, "");
}
