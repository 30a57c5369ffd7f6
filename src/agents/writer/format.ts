import { DateTime } from "luxon";
import { formatPrice as price } from "../../domain/price.ts";
import type { SymbolFeatures } from "../features.ts";

export { price };

export function signedPct(value: number, digits = 2): string {
  return `${value > 0 ? "+" : value < 0 ? "" : "±"}${value.toFixed(digits)}%`;
}

export function percent(p: number): string {
  return `${Math.round(p * 100)}%`;
}

/** "SPY 655.83 (+0.45%)", or just the price when there is no prior close. */
export function quote(f: SymbolFeatures): string {
  if (f.last === null) return `${displaySymbol(f.symbol)} n/a`;
  const change = f.changePct === null ? "" : ` (${signedPct(f.changePct)})`;
  return `${displaySymbol(f.symbol)} ${price(f.last)}${change}`;
}

export function displaySymbol(symbol: string): string {
  return symbol.replace(/^\^/, "");
}

export function utc(iso: string | Date): string {
  const dt =
    typeof iso === "string"
      ? DateTime.fromISO(iso, { zone: "utc" })
      : DateTime.fromJSDate(iso, { zone: "utc" });
  return dt.toFormat("ccc d LLL HH:mm 'UTC'");
}

/** Stable 32-bit FNV-1a hash: staggers the writer's sentence pools, never varying with the clock. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The pool entry for this cycle: consecutive cycles take consecutive entries, so a sentence never
 * repeats its wording from one dispatch to the next; the salt staggers pools against each other.
 */
export function turn<T>(pool: readonly T[], ctx: { input: { cycleNumber: number } }, salt: string): T {
  return pool[(ctx.input.cycleNumber + hash(salt)) % pool.length] as T;
}

/** Replaces {name} placeholders; a missing value is a bug in the template, so it fails loudly. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`template value {${key}} missing`);
    return value;
  });
}

export function listJoin(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** One line of at most `max` characters, an ellipsis where it was cut. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
