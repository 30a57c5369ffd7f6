import { type QuestionModel, questionModelSchema } from "./model.ts";
import shipped from "./shipped-model.json" with { type: "json" };

/**
 * The model the live desk prices with: fitted by `backtest --fit-out` on the replay data before
 * its split, so nothing after that date ever shaped it. Refit and replace the JSON to move it.
 */
export const SHIPPED_QUESTION_MODEL: QuestionModel = questionModelSchema.parse(shipped);
