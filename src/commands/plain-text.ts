/**
 * Bidirectional controls (LRE…RLO, LRI…PDI, LRM/RLM, ALM) let a name or note re-order the text
 * around it on every surface ("Eve" that reads as "evE" and swallows the rest of the line).
 * A display name or a note is plain text: these never belong in it.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

export const stripBidi = (text: string): string => text.replace(BIDI_CONTROLS, "");
