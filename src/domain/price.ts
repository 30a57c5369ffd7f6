/** Prices as a desk quotes them: cents under 1000, whole numbers above (BTC 73,033, not 73032.76). */
export function formatPrice(value: number): string {
  return value >= 1000
    ? Math.round(value).toLocaleString("en-US")
    : value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
