import type { TopLevelSpec } from "vega-lite";

/** A rendered chart: SVG for the web, PNG on demand for chat attachments. */
export interface Chart {
  svg: string;
  /** Rasterised once, off the event loop (libuv's threads): the bots' acks share that loop. */
  png(): Promise<Buffer>;
}

/** Shared look: the web pages' font and greys, a white background so PNGs read in dark-mode chat. */
export const CHART_CONFIG = {
  background: "white",
  font: "DejaVu Sans, Helvetica, Arial, sans-serif",
  axis: { labelColor: "#444", titleColor: "#222", gridColor: "#eee" },
  view: { stroke: null },
} as const;

/**
 * Vega-Lite → Vega → SVG in Node with the headless renderer (no canvas, no browser), then resvg for
 * the PNG. resvg loads system fonts so text shows in the PNG; the SVG needs none of that.
 */
export async function renderChart(spec: TopLevelSpec): Promise<Chart> {
  // Loaded at the first chart, not at start: Vega and Vega-Lite hold ~40 MB that an idle desk never uses.
  const [{ parse, View }, { compile }, { renderAsync }] = await Promise.all([
    import("vega"),
    import("vega-lite"),
    import("@resvg/resvg-js"),
  ]);
  const vegaSpec = compile({ ...spec, config: { ...CHART_CONFIG, ...spec.config } }).spec;
  const view = new View(parse(vegaSpec), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    let png: Promise<Buffer> | null = null;
    return {
      svg,
      png() {
        png ??= renderAsync(svg, {
          background: "white",
          fitTo: { mode: "zoom", value: 2 },
          font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
        }).then((image) => image.asPng());
        return png;
      },
    };
  } finally {
    view.finalize();
  }
}
