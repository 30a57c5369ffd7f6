/** Number and time formats shared by every page, so a Brier reads the same everywhere. */
export const pct = (p: number | null) => (p === null ? "—" : `${Math.round(p * 100)}%`);
export const utc = (d: Date | string) => `${new Date(d).toISOString().slice(0, 16).replace("T", " ")} UTC`;
export const fixed = (n: number | null, digits: number) => (n === null ? "—" : n.toFixed(digits));
export const signed = (n: number | null) => {
  if (n === null) return "—";
  const r = Math.round(n);
  return r > 0 ? `+${r}` : String(r);
};
