import { type CallKind, type CallSpec, callSpecSchema, symbolSchema } from "../domain/call.ts";
import { CLAIMS, claimsOpenedBy } from "../domain/claims.ts";
import {
  CLOSE_ZONE,
  isDeadlineToken,
  isDurationToken,
  joinDuration,
  parseDeadline,
  parseDuration,
} from "./grammar-time.ts";
import {
  ALIASES,
  BARE_DEADLINES,
  CLOSE_DIRECTIONS,
  type Comparator,
  GrammarError,
  HORIZON_WORDS,
  isComparator,
  KEYWORDS,
} from "./grammar-words.ts";

/**
 * The small text grammar for calls (Slack slash commands, `cli parse-call`):
 *
 *   <ticker> <claim> <horizon> [probability] [flat <band>%] [-- note]
 *
 * ticker:  SPY, $SPY, BTC (BTC-USD)
 * claim:   up|higher|rises · down|lower|falls · closes higher|lower · [closes] above|below <level>
 *          · holds|hold|stays above|below <level> · touches|hits|reaches [above|below] <level>
 *          · outperforms|beats|underperforms|lags <ticker>          (levels: 650, $6,500, 100k, 1.5m)
 *          · inside|outside <band>%          (the close within or beyond ±band% of the entry price)
 * horizon: [in|within|over|for] 24h|2d|1w|24 hours|2 days · tomorrow
 *          · by eod|close|today|tomorrow|friday|2026-12-31|<ISO time>
 * probability: 65% or 0.65 (the caller's default when left out)
 */

export interface GrammarOptions {
  now: Date;
  defaultProbability: number;
  /** Whose calendar "today", "tomorrow" and "friday" follow; defaults to New York. */
  timezone?: string;
  /** The ticker's current price: lets a bare "touches 700" mean reaching up or down to it. */
  referencePrice?: number;
}

export type ParseCallResult = { ok: true; call: CallSpec } | { ok: false; error: string };

const EXAMPLES: Record<CallKind, string> = {
  direction: "QQQ down 48h 65%",
  threshold: "SPY below 650 by friday 70%",
  touch: "SPY touches above 700 within 5d 55%",
  hold: "NVDA holds above 176 24h",
  relative: "QQQ outperforms IWM 24h 60%",
  range: "SPY inside 1.2% 48h 70%",
};

type Claim = { word: string } & (
  | { kind: "direction"; direction: "up" | "down" }
  | { kind: "threshold" | "touch" | "hold"; comparator: Comparator; level: number }
  | { kind: "relative"; direction: "outperform" | "underperform"; versus: string }
  | { kind: "range"; direction: "inside" | "outside"; level: number }
);
type Horizon = { text: string } & ({ horizonHours: number } | { deadline: string });

export function parseCallText(text: string, options: GrammarOptions): ParseCallResult {
  const parser = new Parser(text, options);
  try {
    // The domain schema has the last word, so the grammar can never hand out an invalid call.
    const parsed = callSpecSchema.safeParse(parser.parse());
    if (parsed.success) return { ok: true, call: parsed.data };
    const issue = parsed.error.issues[0];
    throw new GrammarError(`${issue?.path.join(".") || "call"}: ${issue?.message ?? "invalid"}`);
  } catch (error) {
    if (!(error instanceof GrammarError)) throw error;
    return { ok: false, error: `${error.message}. Example: ${EXAMPLES[parser.kind]}` };
  }
}

class Parser {
  /** The kind of call being written so far: picks the example a rejection shows. */
  kind: CallKind = "direction";
  private readonly words: string[];
  private readonly note: string | undefined;
  private at = 0;
  private claim: Claim | undefined;
  private horizon: Horizon | undefined;
  private probability: { text: string; value: number } | undefined;
  private flatBandPct: number | undefined;

  constructor(
    text: string,
    private readonly options: GrammarOptions,
  ) {
    // Split the note off first so its words are never read as grammar.
    const dashes = /(?:^|\s)--(?:\s|$)/.exec(text);
    const body = dashes ? text.slice(0, dashes.index) : text;
    this.note = dashes ? text.slice(dashes.index + dashes[0].length).trim() || undefined : undefined;
    this.words = body
      .replace(/(\d)\s+%/g, "$1%")
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w !== "");
  }

  parse() {
    const first = this.words[this.at++];
    if (first === undefined) throw new GrammarError("the call is empty: write <ticker> <claim> <horizon>");
    const symbol = this.ticker(first, "start with the ticker");
    while (this.at < this.words.length) this.clause(this.take("a word"));
    if (!this.claim) throw new GrammarError(`say what ${symbol} will do, e.g. up, below 650 or beats IWM`);
    if (!this.horizon) throw new GrammarError("the horizon is missing: add one such as 48h, 2d or by friday");
    const { word: _word, ...claim } = this.claim;
    const { text: _text, ...horizon } = this.horizon;
    if (claim.kind === "relative" && claim.versus === symbol) {
      throw new GrammarError(`${symbol} cannot outperform itself: compare it with another ticker`);
    }
    return {
      ...claim,
      symbol,
      ...horizon,
      probability: this.probability?.value ?? this.options.defaultProbability,
      madeAt: this.options.now.toISOString(),
      ...(this.flatBandPct !== undefined && { flatBandPct: this.flatBandPct }),
      ...(this.note !== undefined && { note: this.note }),
    };
  }

  private clause(word: string): void {
    const opened = claimsOpenedBy(word);
    const first = opened[0] === undefined ? undefined : CLAIMS[opened[0]].fields;
    // A word that opens one claim names its side ("above"); one shared by two ("holds") leaves it to the next word.
    const side = opened.length === 1 && first && "comparator" in first ? first.comparator : undefined;
    const closeDirection = word === "closes" ? CLOSE_DIRECTIONS[this.words[this.at] ?? ""] : undefined;
    const spelled = joinDuration(word, this.words[this.at]);
    if (closeDirection !== undefined) {
      this.setClaim({
        word: `${word} ${this.take("a direction")}`,
        kind: "direction",
        direction: closeDirection,
      });
    } else if (spelled !== undefined) {
      this.at += 1;
      this.setHorizon({ text: `${word} ${this.words[this.at - 1]}`, horizonHours: parseDuration(spelled) });
    } else if (BARE_DEADLINES.includes(word)) {
      this.deadlineHorizon(word);
    } else if (first?.kind === "direction") {
      this.setClaim({ word, kind: "direction", direction: first.direction });
    } else if (first?.kind === "relative") {
      this.kind = "relative";
      const versus = this.ticker(this.take(`a ticker after "${word}"`), `after "${word}" give a ticker`);
      this.setClaim({ word, kind: "relative", direction: first.direction, versus });
    } else if (first?.kind === "range") {
      this.kind = "range";
      this.setClaim({ word, kind: "range", direction: first.direction, level: this.band(word) });
    } else if (first?.kind === "threshold" || first?.kind === "hold") {
      this.levelClaim(first.kind, word, side);
    } else if (first?.kind === "touch") {
      this.touchClaim(word);
    } else if (HORIZON_WORDS.includes(word) || isDurationToken(word)) {
      const token = isDurationToken(word) ? word : this.take(`a horizon such as 48h after "${word}"`);
      const joined = joinDuration(token, this.words[this.at]);
      if (joined !== undefined) this.at += 1;
      this.setHorizon({ text: token, horizonHours: parseDuration(joined ?? token) });
    } else if (word === "by") {
      this.deadlineHorizon();
    } else if (word === "flat") {
      this.flatBand();
    } else if (/^(\d+(\.\d+)?%|0?\.\d+|1(\.0+)?)$/.test(word)) {
      this.setProbability(word);
    } else if (/^\$?[\d,]+(\.\d+)?$/.test(word)) {
      throw new GrammarError(
        `"${word}" is a number without a meaning: put a level after above/below and write a probability as 65% or 0.65`,
      );
    } else {
      throw new GrammarError(`unknown word "${word}"`);
    }
  }

  private setClaim(claim: Claim): void {
    const before = this.claim;
    if (before?.kind === "direction" && claim.kind === "direction" && before.direction !== claim.direction) {
      throw new GrammarError(
        `"${before.word}" and "${claim.word}" contradict each other: pick one direction`,
      );
    }
    if (before) throw new GrammarError(`one claim per call: found both "${before.word}" and "${claim.word}"`);
    this.claim = claim;
    this.kind = claim.kind;
  }

  /** `comparator` is given when the word itself was "above"/"below"; otherwise it must come next. */
  private levelClaim(kind: "threshold" | "touch" | "hold", word: string, comparator: Comparator | undefined) {
    this.kind = kind;
    // "closes" also takes higher/lower (read in clause), so its hint names all four.
    const sides = word === "closes" ? '"higher", "lower", "above" or "below"' : '"above" or "below"';
    const side = comparator ?? this.take(`${sides} after "${word}"`);
    if (!isComparator(side)) throw new GrammarError(`after "${word}" write ${sides}, not "${side}"`);
    this.setClaim({ word, kind, comparator: side, level: this.level(word) });
  }

  /** "touches 700" only has a side relative to today's price; without that price it is ambiguous. */
  private touchClaim(word: string): void {
    const next = this.words[this.at];
    if (next !== undefined && isComparator(next)) {
      this.at += 1;
      this.levelClaim("touch", word, next);
      return;
    }
    this.kind = "touch";
    const level = this.level(word);
    const reference = this.options.referencePrice;
    if (reference === undefined) {
      throw new GrammarError(
        `"${word} ${level}" is ambiguous without today's price: say "${word} above ${level}" or "${word} below ${level}"`,
      );
    }
    this.setClaim({ word, kind: "touch", comparator: level >= reference ? "above" : "below", level });
  }

  private level(word: string): number {
    const raw = this.take(`a price level after "${word}"`);
    // "$6,500" is how people write prices; separators must sit in thousands places to be read as such.
    // "100k" and "1.5m" are how people write big ones (a level is never minutes or months).
    const match = /^\$?(\d{1,3}(?:,\d{3})+|\d*)(\.\d+)?([km])?$/.exec(raw);
    const scale = match?.[3] === "k" ? 1e3 : match?.[3] === "m" ? 1e6 : 1;
    const number = match ? Number(`${match[1]?.replaceAll(",", "")}${match[2] ?? ""}`) * scale : Number.NaN;
    // 1.1 * 1e3 is 1100.0000000000002 in floating point; a suffix never means sub-micro precision.
    const level = scale === 1 ? number : Math.round(number * 1e6) / 1e6;
    if (!(level > 0)) throw new GrammarError(`"${raw}" after "${word}" is not a positive price level`);
    return level;
  }

  /** "by <token>", or a bare deadline word such as "tomorrow" (`bare`). */
  private deadlineHorizon(bare?: string): void {
    const token = bare ?? this.take('a deadline after "by", such as friday, tomorrow, eod or 2026-12-31');
    if (token === "next" || token === "this") {
      throw new GrammarError(
        `"by ${token} ..." is ambiguous: say "by friday" (the coming one) or a date such as "by 2026-12-31"`,
      );
    }
    if (!isDeadlineToken(token)) {
      throw new GrammarError(`"by ${token}" is not a deadline: use eod, tomorrow, a weekday or 2026-12-31`);
    }
    const deadline = parseDeadline(token, this.options.now, this.options.timezone ?? CLOSE_ZONE);
    this.setHorizon({ text: bare ?? `by ${token}`, deadline: deadline.toISOString() });
  }

  private setHorizon(horizon: Horizon): void {
    if (this.horizon) {
      throw new GrammarError(`one horizon per call: found both "${this.horizon.text}" and "${horizon.text}"`);
    }
    this.horizon = horizon;
  }

  private setProbability(word: string): void {
    const value = word.endsWith("%") ? Number(word.slice(0, -1)) / 100 : Number(word);
    if (this.probability) {
      throw new GrammarError(`one probability per call: found both ${this.probability.text} and ${word}`);
    }
    if (value > 0.99) throw new GrammarError(`probability ${word} is too high: give 50% to 99%`);
    if (value < 0.5) {
      const opposite = `${Math.round((1 - value) * 1000) / 10}%`;
      throw new GrammarError(`probability ${word} is below 50%: make the opposite call at ${opposite}`);
    }
    this.probability = { text: word, value };
  }

  /** A range call's half-width: "1.2%" (the percent sign optional, a percent of the entry price). */
  private band(word: string): number {
    const raw = this.take(`a band such as 1.2% after "${word}"`);
    const match = /^(\d+(?:\.\d+)?|\.\d+)%?$/.exec(raw);
    const band = match ? Number(match[1]) : Number.NaN;
    if (!(band > 0)) throw new GrammarError(`"${raw}" after "${word}" is not a band: write it as 1.2%`);
    return band;
  }

  private flatBand(): void {
    const word = this.take('a percentage after "flat", such as flat 0.5%');
    const match = /^(\d+(?:\.\d+)?)%$/.exec(word);
    if (!match) throw new GrammarError(`"flat ${word}" is not a flat band: write it as flat 0.5%`);
    this.flatBandPct = Number(match[1]);
  }

  private ticker(written: string, hint: string): string {
    // "$SPY" is the cashtag people type on social media; "$650" stays a number and is refused below.
    const word = written.replace(/^\$(?=[a-z^])/, "");
    const symbol = symbolSchema.safeParse(word);
    // Durations and numbers fit the ticker pattern but are never what the member meant.
    if (KEYWORDS.has(word) || !symbol.success || /^\d+(\.\d+)?[%hdw]?$/.test(word)) {
      throw new GrammarError(`${hint}: "${word}" is not a ticker such as SPY or BTC`);
    }
    return ALIASES[symbol.data] ?? symbol.data;
  }

  private take(what: string): string {
    const word = this.words[this.at++];
    if (word === undefined) throw new GrammarError(`expected ${what} at the end`);
    return word;
  }
}
