import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { Data, PlotlyHTMLElement } from 'plotly.js';
import { overlayFigure, type OverlayFrame } from '../../charts/explain-figure.js';
import { usePlot } from '../../charts/use-plot.js';

const OVERLAY_CONFIG = { displayModeBar: false, responsive: true, staticPlot: true } as const;

interface MapLayout {
  width: number;
  height: number;
  _size: { l: number; t: number; w: number; h: number };
  xaxis: { range: [number, number] };
  yaxis: { range: [number, number] };
}

function frameOf(el: HTMLElement | null): OverlayFrame | null {
  const full = (el as unknown as { _fullLayout?: MapLayout } | null)?._fullLayout;
  if (!full?.xaxis?.range || !full._size) return null;
  const s = full._size;
  return { margin: { l: s.l, t: s.t, r: full.width - s.l - s.w, b: full.height - s.t - s.h }, x: [...full.xaxis.range], y: [...full.yaxis.range] };
}

/**
 * The explain layer as a plot of its own, laid exactly over the map: a step redraws these few
 * traces only, never the map's 100k points. It follows the map's zoom and size.
 */
export function ExplainOverlay({ mapRef, traces }: { mapRef: RefObject<HTMLDivElement | null>; traces: Data[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const [frame, setFrame] = useState<OverlayFrame | null>(null);
  useEffect(() => {
    const el = mapRef.current as (HTMLDivElement & Partial<PlotlyHTMLElement>) | null;
    if (!el?.on) return;
    const follow = () =>
      setFrame((old) => {
        const next = frameOf(el);
        return next && JSON.stringify(next) !== JSON.stringify(old) ? next : old;
      });
    follow();
    el.on('plotly_afterplot', follow);
    el.on('plotly_relayout', follow);
    return () => {
      // plotly's element is a node EventEmitter; its types list only removeAllListeners
      const off = el as unknown as { removeListener(event: string, f: () => void): void };
      off.removeListener('plotly_afterplot', follow);
      off.removeListener('plotly_relayout', follow);
    };
  }, [mapRef, traces]);
  const figure = useMemo(() => (frame ? overlayFigure(traces, frame) : null), [traces, frame]);
  const failure = usePlot(ref, figure, undefined, { config: OVERLAY_CONFIG });
  return <div ref={ref} className="explain-overlay" data-testid="explain-overlay" data-failure={failure ?? ''} aria-hidden="true" />;
}
