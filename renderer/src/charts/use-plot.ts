import type { Config, Data, Layout, PlotMouseEvent, PlotSelectionEvent, PlotlyHTMLElement } from 'plotly.js';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { PLOT_CONFIG, loadPlotly, withToolbarRoom, type Plotly } from './plotly.js';

/**
 * Draws `figure` into the element with Plotly.react: later figures update the same plot in
 * place, never re-create it. Returns an error message if plotly could not be loaded or drawn.
 */
export function usePlot(
  ref: RefObject<HTMLDivElement | null>,
  figure: { data: Data[]; layout: Partial<Layout> } | null,
  onClick?: (event: PlotMouseEvent) => void,
  options: {
    onSelected?: (event: PlotSelectionEvent | undefined) => void;
    config?: Partial<Config>;
    /**
     * A 3D scene reports plotly_click on the press (plotly.js#6185), so every drag to turn it would
     * click: with this, a click is a press and release in place over the point plotly last hovered.
     */
    clickOnRelease?: boolean;
    /** the point under the mouse, and null when it leaves */
    onHover?: (event: PlotMouseEvent | null) => void;
  } = {},
): string | null {
  const [plotly, setPlotly] = useState<Plotly | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;
  const selectedRef = useRef(options.onSelected);
  selectedRef.current = options.onSelected;
  const onReleaseRef = useRef(options.clickOnRelease ?? false);
  onReleaseRef.current = options.clickOnRelease ?? false;
  const hoveredRef = useRef<PlotMouseEvent | null>(null);
  const hoverRef = useRef(options.onHover);
  hoverRef.current = options.onHover;
  const config = options.config ?? PLOT_CONFIG;

  useEffect(() => {
    let live = true;
    loadPlotly().then(
      (p) => live && setPlotly(p),
      (err: unknown) => live && setFailure(`The chart library did not load: ${err instanceof Error ? err.message : String(err)}`),
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!plotly || !el) return;
    if (!figure) {
      plotly.purge(el); // nothing to show: drop the old plot rather than leave it stale
      delete el.dataset.clickBound;
      return;
    }
    let live = true;
    plotly.react(el, figure.data, withToolbarRoom(figure.layout), config).then(
      (plot: PlotlyHTMLElement) => {
        if (!live || el.dataset.clickBound) return;
        el.dataset.clickBound = 'yes'; // once per element: react keeps the same plot
        plot.on('plotly_click', (e: PlotMouseEvent) => {
          if (!onReleaseRef.current) clickRef.current?.(e);
        });
        plot.on('plotly_hover', (e: PlotMouseEvent) => {
          hoveredRef.current = e;
          hoverRef.current?.(e);
        });
        plot.on('plotly_unhover', () => {
          hoveredRef.current = null;
          hoverRef.current?.(null);
        });
        plot.on('plotly_selected', (e: PlotSelectionEvent) => selectedRef.current?.(e));
        plot.on('plotly_deselect', () => selectedRef.current?.(undefined));
      },
      (err: unknown) => live && setFailure(`The chart could not be drawn: ${err instanceof Error ? err.message : String(err)}`),
    );
    return () => {
      live = false;
    };
  }, [plotly, figure, ref, config]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let pressed: { x: number; y: number } | null = null;
    const press = (e: PointerEvent) => {
      pressed = e.button === 0 ? { x: e.clientX, y: e.clientY } : null;
    };
    const release = (e: PointerEvent) => {
      const hovered = hoveredRef.current;
      if (onReleaseRef.current && pressed && hovered && Math.hypot(e.clientX - pressed.x, e.clientY - pressed.y) < 4) clickRef.current?.(hovered);
      pressed = null;
    };
    // capture: the scene's camera handles the mouse on its canvas before anything bubbles up
    el.addEventListener('pointerdown', press, true);
    el.addEventListener('pointerup', release, true);
    return () => {
      el.removeEventListener('pointerdown', press, true);
      el.removeEventListener('pointerup', release, true);
    };
  }, [ref]);

  useEffect(() => {
    const el = ref.current;
    if (!plotly || !el || typeof ResizeObserver === 'undefined') return;
    // plotly's `responsive` follows the window only; a resized panel or a full-screen map needs this
    const observer = new ResizeObserver(() => {
      if (el.dataset.clickBound) void plotly.Plots.resize(el);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [plotly, ref]);

  useEffect(() => {
    const el = ref.current;
    return () => {
      if (plotly && el) {
        plotly.purge(el);
        delete el.dataset.clickBound;
      }
    };
  }, [plotly, ref]);

  return failure;
}
