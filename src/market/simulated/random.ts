/** mulberry32: a tiny seeded PRNG, so a seed always yields the same simulated market. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = Math.max(this.uniform(), Number.EPSILON);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** Student-t with `dof` degrees of freedom scaled to unit variance: fat tails at the same volatility. */
  studentT(dof: number): number {
    let chiSquare = 0;
    for (let i = 0; i < dof; i++) chiSquare += this.normal() ** 2;
    return (this.normal() / Math.sqrt(chiSquare / dof)) * Math.sqrt((dof - 2) / dof);
  }
}
