import fc from "fast-check";
import { DateTime } from "luxon";
import { expect } from "vitest";
import type { Bar } from "../../src/domain/bars.ts";
import type { Filing, Headline, MacroPoint, Quote } from "../../src/market/ports.ts";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values a provider has been seen to send where a number or a date belongs. */
const oddJson: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(1e308, -1e308, 0, -1, 1e20, 2 ** 53, -0.5, "", "2026-13-45", "NaN", null, [], {}),
);

/** Every place in a JSON document where a value sits, as a path of keys and indexes. */
function pathsOf(value: Json, at: (string | number)[] = []): (string | number)[][] {
  const here = at.length ? [at] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => pathsOf(v, [...at, i]))];
  if (value !== null && typeof value === "object")
    return [...here, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...at, k]))];
  return here;
}

/** The document with the value at one path replaced, or removed when `replacement` is undefined. */
function replaced(document: Json, path: (string | number)[], replacement: Json | undefined): Json {
  const copy = structuredClone(document);
  let parent = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) {
    // An earlier change may have replaced or removed what this path went through.
    if (parent === null || typeof parent !== "object") return document;
    parent = parent[key] as Record<string | number, Json>;
  }
  if (parent === null || typeof parent !== "object") return document;
  const last = path.at(-1) as string | number;
  if (replacement !== undefined) parent[last] = replacement;
  else if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
  return copy;
}

/** A JSON body edited in code: the examples pin counterexamples the fuzz once found. */
export function withJson(text: string, edit: (document: Json) => void): string {
  const document = JSON.parse(text) as Json;
  edit(document);
  return JSON.stringify(document);
}

/** Sets the value at `path` inside `document`, in place. */
export function set(document: Json, path: (string | number)[], value: Json): void {
  let parent = document as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  parent[path.at(-1) as string | number] = value;
}

function mutatedJson(text: string): fc.Arbitrary<string> {
  const document = JSON.parse(text) as Json;
  const paths = pathsOf(document);
  const change = fc.tuple(fc.constantFrom(...paths), fc.option(oddJson, { nil: undefined }));
  return fc
    .array(change, { minLength: 1, maxLength: 3 })
    .map((changes) => JSON.stringify(changes.reduce((doc, [p, r]) => replaced(doc, p, r), document)));
}

/** A few characters cut out of or pasted into the text: the shape mostly survives, the content does not. */
function mutatedText(text: string): fc.Arbitrary<string> {
  return fc
    .tuple(fc.nat(text.length), fc.nat(40), fc.string({ maxLength: 12 }))
    .map(([at, cut, paste]) => `${text.slice(0, at)}${paste}${text.slice(at + cut)}`);
}

/**
 * A body a provider might really send instead of `valid`: cut off mid-way, a field of the wrong
 * shape, arbitrary JSON, arbitrary text, or now and then the valid body itself.
 */
export function broken(valid: string): fc.Arbitrary<string> {
  const isJson = /^[[{]/.test(valid.trim());
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(valid) },
    { weight: 2, arbitrary: fc.nat(valid.length).map((n) => valid.slice(0, n)) },
    { weight: 4, arbitrary: isJson ? mutatedJson(valid) : mutatedText(valid) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 2 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  );
}

const isoDay = (text: unknown) =>
  typeof text === "string" && /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text).isValid;
const validDate = (d: unknown) => d instanceof Date && !Number.isNaN(d.getTime());
const finiteOrAbsent = (n: unknown) => n === undefined || (typeof n === "number" && Number.isFinite(n));

export function expectQuote(q: Quote, asOf: Date): void {
  expect(typeof q.price === "number" && Number.isFinite(q.price), `price ${q.price}`).toBe(true);
  expect(validDate(q.time) && q.time <= asOf, `time ${q.time}`).toBe(true);
  expect(isoDay(q.session), `session ${q.session}`).toBe(true);
  expect(finiteOrAbsent(q.previousClose) && finiteOrAbsent(q.volume)).toBe(true);
}

export function expectBars(bars: Bar[]): void {
  for (const bar of bars) {
    expect(isoDay(bar.date), `bar date ${bar.date}`).toBe(true);
    expect(
      Number.isFinite(bar.close) && [bar.open, bar.high, bar.low, bar.volume].every(finiteOrAbsent),
    ).toBe(true);
  }
}

export function expectMacro(points: MacroPoint[]): void {
  for (const p of points) {
    expect(isoDay(p.date), `point date ${p.date}`).toBe(true);
    expect(p.value === null || Number.isFinite(p.value)).toBe(true);
  }
}

export function expectFilings(filings: Filing[], asOf: Date): void {
  for (const f of filings) {
    expect(validDate(f.filedAt) && f.filedAt <= asOf, `filedAt ${f.filedAt}`).toBe(true);
    for (const text of [f.form, f.company, f.cik, f.accession, f.link, f.title])
      expect(typeof text).toBe("string");
  }
}

export function expectHeadlines(headlines: Headline[], asOf: Date): void {
  for (const h of headlines) {
    expect(typeof h.title === "string" && h.title.trim().length > 0, `title ${h.title}`).toBe(true);
    expect(validDate(h.publishedAt) && h.publishedAt <= asOf).toBe(true);
    expect(typeof h.link).toBe("string");
  }
}
