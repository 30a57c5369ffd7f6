import { existsSync } from "node:fs";
import path from "node:path";

/** ../shared/data beside the checkout: real market history for tests. A user's clone has none. */
export const SHARED_DATA = path.resolve(import.meta.dirname, "../../../shared/data");
export const hasSharedData = existsSync(path.join(SHARED_DATA, "SPY.csv"));

if (!hasSharedData) console.warn(`Skipping tests that need real market history: ${SHARED_DATA} is missing.`);
