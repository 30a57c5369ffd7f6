import type { types } from "@slack/bolt";
import { z } from "zod";
import { isDurationToken, parseDuration } from "../../../commands/grammar-time.ts";
import type { PredictOptions } from "../../../commands/predict.ts";
import { CLAIM_NAMES, CLAIMS, isClaimName } from "../../../domain/claims.ts";

export const PREDICT_VIEW = "tapereader_predict";

/** Where the modal was opened from: the answer goes to that channel, privately. */
export interface ModalOrigin {
  channelId: string;
  /** The desk call a counter-call answers (shown in the title only; a counter-call is the member's own call). */
  counterTo?: number;
}

const text = (t: string) => ({ type: "plain_text" as const, text: t });
const option = (value: string, label: string) => ({ text: text(label), value });

export function predictModal(
  symbols: readonly string[],
  origin: ModalOrigin,
  prefill?: { symbol: string },
): types.View {
  const symbolOptions = symbols.slice(0, 100).map((s) => option(s, s));
  const select = (
    id: string,
    label: string,
    options: ReturnType<typeof option>[],
    optional: boolean,
    initial?: string,
  ) => ({
    type: "input" as const,
    block_id: id,
    optional,
    label: text(label),
    element: {
      type: "static_select" as const,
      action_id: id,
      options,
      ...(initial && { initial_option: options.find((o) => o.value === initial) }),
    },
  });
  const input = (id: string, label: string, element: object, optional = true) => ({
    type: "input" as const,
    block_id: id,
    optional,
    label: text(label),
    element: { action_id: id, ...element },
  });
  return {
    type: "modal",
    callback_id: PREDICT_VIEW,
    private_metadata: JSON.stringify(origin),
    title: text(origin.counterTo ? `Counter call #${origin.counterTo}` : "Make a call"),
    submit: text("Call it"),
    close: text("Cancel"),
    blocks: [
      select("symbol", "Symbol", symbolOptions, false, prefill?.symbol),
      select(
        "claim",
        "Claim",
        CLAIM_NAMES.map((name) => option(name, CLAIMS[name].label)),
        false,
        "up",
      ),
      input("level", "Level (for above/below/touch/hold)", {
        type: "number_input",
        is_decimal_allowed: true,
      }),
      select("versus", "Versus (for out/underperforms)", symbolOptions, true),
      input(
        "horizon",
        "Horizon or deadline",
        {
          type: "plain_text_input",
          initial_value: "48h",
          placeholder: text("48h, 5d, 1w, eod, friday or 2026-12-31"),
        },
        false,
      ),
      input("probability", "Probability (%)", {
        type: "number_input",
        is_decimal_allowed: false,
        min_value: "50",
        max_value: "99",
        initial_value: "60",
      }),
      input("note", "Note", { type: "plain_text_input", multiline: true, max_length: 280 }),
    ],
  } as types.View;
}

/** One input's state as Slack sends it; anything else (a forged or future payload) is reported, not read. */
const stateValueSchema = z.object({
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
});

type StateValues = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value: string } | null }>
>;

/**
 * The submitted fields as predict options. Only the form's own shape is checked here (a horizon that
 * is neither a duration nor a deadline word goes to the handler, which explains deadlines); a field
 * the claim needs but left empty is reported on that field, so Slack shows it under the input.
 */
export function modalOptions(
  values: StateValues,
): { ok: true; options: PredictOptions } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const read = (id: string) => {
    const field = stateValueSchema.safeParse(values[id]?.[id] ?? {});
    if (!field.success) {
      errors[id] = "This field could not be read: enter it again.";
      return undefined;
    }
    const v = field.data;
    return (v.selected_option?.value ?? v.value ?? "").trim() || undefined;
  };
  const claimValue = read("claim") ?? "up";
  // Only the form's own choices: an unknown value must not quietly become some other call.
  if (!isClaimName(claimValue)) errors.claim = "Pick one of the listed claims.";
  const claim = CLAIMS[isClaimName(claimValue) ? claimValue : "up"];
  const needs: readonly string[] = claim.needs;
  const symbol = read("symbol");
  const level = read("level");
  const versus = read("versus");
  const horizon = (read("horizon") ?? "").toLowerCase();
  const probability = read("probability");
  const note = read("note");
  if (needs.includes("level") && level === undefined) errors.level = "This claim needs a price level.";
  if (needs.includes("versus") && versus === undefined)
    errors.versus = "Pick the ticker it is compared with.";
  let when: Pick<PredictOptions, "horizonHours" | "deadline"> = { deadline: horizon };
  if (horizon === "") errors.horizon ??= "Give a horizon such as 48h, or a deadline such as friday.";
  else if (isDurationToken(horizon)) {
    try {
      when = { horizonHours: parseDuration(horizon) };
    } catch (error) {
      errors.horizon = (error as Error).message;
    }
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    options: {
      symbol,
      ...claim.fields,
      ...(needs.includes("level") && { level: Number(level) }),
      ...(needs.includes("versus") && { versus }),
      ...when,
      ...(probability !== undefined && { probability: Number(probability) }),
      ...(note !== undefined && { note }),
      source: "modal",
    },
  };
}
