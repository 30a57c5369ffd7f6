import type { CallKind, CallSpec } from "./call.ts";

/**
 * Every claim a call can make, once: the question fields it stands for, what else it needs, how
 * pickers label it, its arrow, the claim that is right exactly when it is wrong, its words in the
 * canonical call text, and the words members may open it with. Discord's choices, Slack's select, fades and arrows all read this table.
 */
export const CLAIMS = {
  up: {
    fields: { kind: "direction", direction: "up" },
    needs: [],
    label: "higher than now (↑)",
    arrow: "↑",
    fade: "down",
    words: "up",
    verbs: ["up", "higher", "rises"],
  },
  down: {
    fields: { kind: "direction", direction: "down" },
    needs: [],
    label: "lower than now (↓)",
    arrow: "↓",
    fade: "up",
    words: "down",
    verbs: ["down", "lower", "falls"],
  },
  above: {
    fields: { kind: "threshold", comparator: "above" },
    needs: ["level"],
    label: "closes above the level",
    arrow: "↑",
    fade: "below",
    words: "above",
    verbs: ["above", "closes"],
  },
  below: {
    fields: { kind: "threshold", comparator: "below" },
    needs: ["level"],
    label: "closes below the level",
    arrow: "↓",
    fade: "above",
    words: "below",
    verbs: ["below", "closes"],
  },
  // Never touching above L is holding below L for the whole window, and the reverse.
  touches_above: {
    fields: { kind: "touch", comparator: "above" },
    needs: ["level"],
    label: "touches the level from below",
    arrow: "↑",
    fade: "holds_below",
    words: "touches above",
    verbs: ["touches", "hits", "reaches"],
  },
  touches_below: {
    fields: { kind: "touch", comparator: "below" },
    needs: ["level"],
    label: "touches the level from above",
    arrow: "↓",
    fade: "holds_above",
    words: "touches below",
    verbs: ["touches", "hits", "reaches"],
  },
  holds_above: {
    fields: { kind: "hold", comparator: "above" },
    needs: ["level"],
    label: "stays above the level throughout",
    arrow: "↑",
    fade: "touches_below",
    words: "holds above",
    verbs: ["holds", "hold", "stays"],
  },
  holds_below: {
    fields: { kind: "hold", comparator: "below" },
    needs: ["level"],
    label: "stays below the level throughout",
    arrow: "↓",
    fade: "touches_above",
    words: "holds below",
    verbs: ["holds", "hold", "stays"],
  },
  outperforms: {
    fields: { kind: "relative", direction: "outperform" },
    needs: ["versus"],
    label: "outperforms the versus symbol",
    arrow: "↑",
    fade: "underperforms",
    words: "outperforms",
    verbs: ["outperforms", "outperform", "beats"],
  },
  underperforms: {
    fields: { kind: "relative", direction: "underperform" },
    needs: ["versus"],
    label: "underperforms the versus symbol",
    arrow: "↓",
    fade: "outperforms",
    words: "underperforms",
    verbs: ["underperforms", "underperform", "lags"],
  },
  // The band is a percent of the entry price; inside and outside are each other's fade.
  inside: {
    fields: { kind: "range", direction: "inside" },
    needs: ["level"],
    label: "closes within ±band% of the entry price",
    arrow: "↔",
    fade: "outside",
    words: "inside",
    verbs: ["inside"],
  },
  outside: {
    fields: { kind: "range", direction: "outside" },
    needs: ["level"],
    label: "closes beyond ±band% of the entry price",
    arrow: "↕",
    fade: "inside",
    words: "outside",
    verbs: ["outside"],
  },
} as const satisfies Record<string, Claim>;

interface Claim {
  fields: { kind: CallKind; direction?: string; comparator?: string };
  needs: readonly ("level" | "versus")[];
  label: string;
  /** ↑/↓ for a side of the market; ↔ and ↕ for a range call, which takes neither. */
  arrow: "↑" | "↓" | "↔" | "↕";
  fade: string;
  words: string;
  /** The words that open this claim in a member's text; one shared by two claims leaves the side to the next word. */
  verbs: readonly string[];
}

export type ClaimName = keyof typeof CLAIMS;
export const CLAIM_NAMES = Object.keys(CLAIMS) as ClaimName[];

export function isClaimName(name: string): name is ClaimName {
  return Object.hasOwn(CLAIMS, name);
}

/** The claim a call makes. */
export function claimOf(call: CallSpec): ClaimName {
  const found = claimOfFields({
    kind: call.kind,
    direction: "direction" in call ? call.direction : null,
    comparator: "comparator" in call ? call.comparator : null,
  });
  if (!found) throw new Error(`no claim for a ${call.kind} call`);
  return found;
}

/** The claim stored question columns make, or undefined for columns no claim has. */
export function claimOfFields(q: {
  kind: string;
  direction: string | null;
  comparator: string | null;
}): ClaimName | undefined {
  return CLAIM_NAMES.find((name) => {
    const { fields } = CLAIMS[name] as Claim;
    return (
      fields.kind === q.kind &&
      (fields.direction === undefined || fields.direction === q.direction) &&
      (fields.comparator === undefined || fields.comparator === q.comparator)
    );
  });
}

export function arrowOf(call: CallSpec): Claim["arrow"] {
  return CLAIMS[claimOf(call)].arrow;
}

/**
 * The call that is right exactly when `call` is wrong over the same window (a threshold close landing
 * on the level itself is wrong for both).
 */
export function fadeOf(call: CallSpec): CallSpec {
  return { ...call, ...CLAIMS[CLAIMS[claimOf(call)].fade as ClaimName].fields } as CallSpec;
}

/** The claim's part of the canonical call text: "up", "touches above 700", "outperforms IWM". */
export function claimWords(call: CallSpec): string {
  const object =
    call.kind === "range"
      ? ` ${call.level}%`
      : "level" in call
        ? ` ${call.level}`
        : "versus" in call
          ? ` ${call.versus}`
          : "";
  return `${CLAIMS[claimOf(call)].words}${object}`;
}

/**
 * The question fields of a call given field by field (Discord options, a form): which claim the kind
 * and direction or comparator select, and exactly what is missing when they select none.
 */
export function questionFields(
  kind: CallKind,
  given: {
    direction?: string | undefined;
    comparator?: string | undefined;
    level?: number | undefined;
    versus?: string | undefined;
  },
): { ok: true; fields: Record<string, unknown> } | { ok: false; error: string } {
  const claims = CLAIM_NAMES.map((name) => CLAIMS[name] as Claim).filter((c) => c.fields.kind === kind);
  const selector = claims[0]?.fields.comparator !== undefined ? "comparator" : "direction";
  const needs = claims[0]?.needs ?? [];
  const claim = claims.find((c) => c.fields[selector] === given[selector]);
  const missing = needs.filter((field) => given[field] === undefined);
  if (selector === "comparator" && (!claim || missing.length > 0))
    return { ok: false, error: `a ${kind} call needs comparator (above or below) and level` };
  if (!claim) {
    const values = claims.map((c) => c.fields[selector]).join(" or ");
    return { ok: false, error: `a ${kind} call needs ${selector} ${values}` };
  }
  if (missing.includes("level"))
    return { ok: false, error: `a ${kind} call needs level: the band's half-width in percent` };
  if (missing.includes("versus"))
    return { ok: false, error: `a ${kind} call needs versus: the ticker it is compared with` };
  const extra = Object.fromEntries(needs.map((field) => [field, given[field]]));
  return { ok: true, fields: { ...claim.fields, ...extra } };
}

/** The claims a member's word opens: "beats" opens outperforms, "touches" both touch claims. */
export function claimsOpenedBy(word: string): ClaimName[] {
  return CLAIM_NAMES.filter((name) => (CLAIMS[name].verbs as readonly string[]).includes(word));
}

/** Every word that opens a claim: none of them can be a ticker in call text. */
export const CLAIM_VERBS: ReadonlySet<string> = new Set(CLAIM_NAMES.flatMap((name) => CLAIMS[name].verbs));
