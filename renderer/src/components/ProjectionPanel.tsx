import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PlotMouseEvent, PlotSelectionEvent } from 'plotly.js';
import { SCATTER_CONFIG, loadPlotly } from '../charts/plotly.js';
import { OVERLAY_LEGEND_ROOM } from '../charts/explain-figure.js';
import { TRACE, neighbourBox, projectionFigure } from '../charts/projection-figure.js';
import { useChartTheme } from '../charts/theme.js';
import { usePlot } from '../charts/use-plot.js';
import { formatCount } from '../format.js';
import { colourSpec, selectColourSource } from '../store/colour-select.js';
import { useApp } from '../store/context.js';
import { selectDataset } from '../store/dataset-slice.js';
import { selectShownDims, selectShownProjection } from '../store/umap-slice.js';
import { ErrorNote } from './ErrorNote.js';
import { ExplainOverlay } from './explain/ExplainOverlay.js';
import { useExplainOverlay } from './explain/use-explain-overlay.js';
import { JobProgress } from './JobProgress.js';
import { ColourLegend, MissingColour, ProjectionToolbar } from './ProjectionToolbar.js';
import { SelectionBar } from './SelectionBar.js';
import { VectorThumb } from './VectorThumb.js';
import { imageSide, imageSideOf } from '../../../app/explore/vector-image.js';

export function ProjectionPanel() {
  const projection = useApp(selectShownProjection);
  const pcaJob = useApp((s) => s.projectionJob);
  const umapJob = useApp((s) => s.umapJob);
  const error = useApp((s) => s.projectionError);
  const umapError = useApp((s) => s.umapError);
  const colourError = useApp((s) => (s.diagnosticError?.kind === 'colour' ? s.diagnosticError : null));
  const dataset = useApp(selectDataset);
  const result = useApp((s) => s.result);
  const focusedRank = useApp((s) => s.focusedRank);
  const colourBy = useApp((s) => s.colourBy);
  const source = useApp(selectColourSource);
  const marks = useApp((s) => (s.extras && s.extras.result === s.result ? s.extras.marks : null));
  const selection = useApp((s) => (s.selection && s.selection.dataset === s.datasetId ? s.selection.rows : null));
  const dragMode = useApp((s) => s.dragMode);
  const dims = useApp(selectShownDims);
  const cancel = useApp((s) => s.cancelProjection);
  const cancelUmap = useApp((s) => s.cancelUmap);
  const retry = useApp((s) => s.runProjection);
  const queryBasePoint = useApp((s) => s.queryBasePoint);
  const setFocusedRank = useApp((s) => s.setFocusedRank);
  const setSelection = useApp((s) => s.setSelection);
  const setColourBy = useApp((s) => s.setColourBy);
  const theme = useChartTheme();
  const ref = useRef<HTMLDivElement>(null);
  const [full, setFull] = useState(false);

  useEffect(() => {
    if (!full) return;
    const leave = (e: KeyboardEvent) => e.key === 'Escape' && setFull(false);
    window.addEventListener('keydown', leave);
    return () => window.removeEventListener('keydown', leave);
  }, [full]);

  // a dataset opens coloured by its labels, with their names (by the column they are read from, if any)
  useEffect(() => {
    if (dataset?.labels && colourBy === 'label') void setColourBy(dataset.labelColumn ? `meta:${dataset.labelColumn}` : 'label');
  }, [dataset, colourBy, setColourBy]);

  const wholeAsCategories = useApp((s) => s.wholeAsCategories);
  const hidden = useApp((s) => s.hiddenCategories);
  const colour = useMemo(() => colourSpec(colourBy, source, wholeAsCategories), [colourBy, source, wholeAsCategories]);
  // while a search is explained, its layer replaces the query's highlights
  const overlay = useExplainOverlay(projection, dims, theme);
  const figure = useMemo(
    () =>
      projection
        ? projectionFigure({
            projection,
            result: overlay ? null : result,
            focusedRank,
            theme,
            // labels still loading: the projection's own label numbers colour the points meanwhile
            colour: overlay?.colour ?? colour ?? (colourBy === 'label' ? undefined : null),
            marks,
            selection,
            dragMode,
            dims,
            hidden,
            faded: !!overlay,
            rightRoom: overlay ? OVERLAY_LEGEND_ROOM : 0,
          })
        : null,
    [projection, result, focusedRank, theme, colour, colourBy, marks, selection, dragMode, dims, hidden, overlay?.colour, !!overlay],
  );
  const onClick = useCallback(
    (e: PlotMouseEvent) => {
      const point = e.points[0];
      if (!point || !figure) return;
      const row = figure.rowsOf(point.curveNumber, point.pointNumber);
      if (row === null) return;
      // A neighbour is drawn twice (faded base point and lit marker), and plotly may report either copy,
      // so the row decides: a first click on a neighbour selects its table row, a second searches from it.
      const rank = result ? result.ids.indexOf(row) : -1;
      if (rank >= 0 && rank !== focusedRank) setFocusedRank(rank);
      else void queryBasePoint(row);
    },
    [figure, focusedRank, queryBasePoint, result, setFocusedRank],
  );
  const onSelected = useCallback(
    (e: PlotSelectionEvent | undefined) => {
      if (!e || !figure) return setSelection(null);
      const rows = new Set<number>();
      for (const p of e.points) {
        if (p.curveNumber !== TRACE.base && p.curveNumber !== TRACE.overlay) continue;
        const row = figure.rowsOf(p.curveNumber, p.pointNumber);
        if (row !== null) rows.add(row);
      }
      setSelection([...rows].sort((a, b) => a - b));
    },
    [figure, setSelection],
  );
  const loadHoverVector = useApp((s) => s.loadHoverVector);
  const [hover, setHover] = useState<{ row: number; x: number; y: number } | null>(null);
  const maybeImages = imageSideOf(dataset?.dim ?? 0) !== null;
  const onHover = useCallback(
    (e: PlotMouseEvent | null) => {
      if (!maybeImages) return; // no hover card to show: no re-render on every mouse move
      const point = e?.points[0];
      const row = point && figure ? figure.rowsOf(point.curveNumber, point.pointNumber) : null;
      const frame = ref.current?.getBoundingClientRect();
      const mouse = e?.event as MouseEvent | undefined;
      setHover(row !== null && frame && mouse ? { row, x: mouse.clientX - frame.left, y: mouse.clientY - frame.top } : null);
      void loadHoverVector(row);
    },
    [figure, loadHoverVector, maybeImages],
  );
  const failure = usePlot(ref, figure, onClick, { onSelected, onHover, config: SCATTER_CONFIG, clickOnRelease: dims === 3 });
  const points = projection ? projection.base.length / 2 : 0;
  const box = projection && dims === 2 ? neighbourBox(projection, result) : null;
  const zoomToNeighbours = () => {
    const el = ref.current;
    if (box && el) void loadPlotly().then((plotly) => plotly.relayout(el, { 'xaxis.range': box.x, 'yaxis.range': box.y }));
  };
  const title = projection?.method === 'umap' ? 'UMAP projection' : 'PCA projection';

  return (
    <section className={full ? 'card projection-card full' : 'card projection-card'} aria-labelledby="projection-title" data-testid="projection-card">
      <div className="card-head">
        <h2 id="projection-title">{title}</h2>
        <p className="muted small">{projection ? `${formatCount(points)} points, all drawn · click one to search from it, a lit neighbour to select it` : dataset ? `of ${dataset.name}` : ''}</p>
        <div className="card-actions">
          <button type="button" className="button subtle small" disabled={!box} onClick={zoomToNeighbours} data-testid="zoom-neighbours" title="Zoom the map onto the query and its neighbours (the house button of the chart's toolbar zooms back out)">
            Zoom to neighbours
          </button>
          <button type="button" className="button subtle small" aria-pressed={full} onClick={() => setFull(!full)} data-testid="map-full-screen" title={full ? 'Back to the panels (Esc)' : 'The map over the whole window'}>
            {full ? 'Exit full screen' : 'Full screen'}
          </button>
        </div>
      </div>
      <ProjectionToolbar />
      {pcaJob ? <JobProgress job={pcaJob} label="Projection progress" testId="projection-progress" onCancel={() => void cancel()} /> : null}
      {umapJob ? <JobProgress job={umapJob} label="UMAP progress" testId="umap-progress" cancelTestId="umap-cancel" onCancel={() => void cancelUmap()} /> : null}
      {error ? (
        <div className="inline-error">
          <ErrorNote error={error} />
          {dataset ? (
            <button type="button" className="button subtle small" onClick={() => void retry(dataset.id)}>
              Try again
            </button>
          ) : null}
        </div>
      ) : null}
      <ErrorNote error={umapError ?? colourError} />
      <div className="chart-frame grow">
        <div
          ref={ref}
          className="chart"
          data-testid="projection"
          data-method={projection?.method ?? ''}
          data-dims={dims}
          role="figure"
          aria-label={
            projection
              ? `${dims === 3 ? '3D scatter' : 'Scatter'} plot of ${formatCount(points)} base vectors (${title})${result ? ', with the query and its neighbours highlighted' : ''}`
              : 'Projection: not computed yet'
          }
        />
        {overlay ? <ExplainOverlay mapRef={ref} traces={overlay.traces} /> : null}
        {hover ? <HoverImage row={hover.row} x={hover.x} y={hover.y} /> : null}
        {!projection && !pcaJob && !error ? <p className="chart-empty">The projection appears once a dataset is open.</p> : null}
        {!projection && pcaJob ? <p className="chart-empty">Projecting {dataset ? formatCount(dataset.n) : ''} vectors…</p> : null}
      </div>
      {overlay?.colour ? <ColourLegend colour={overlay.colour} /> : colour ? <ColourLegend colour={colour} /> : <MissingColour />}
      <SelectionBar />
      <ErrorNote error={failure ? { code: 'INTERNAL', message: failure } : null} />
    </section>
  );
}

/** The hovered point's vector as an image, beside plotly's own hover label, when the vectors are small images. */
function HoverImage({ row, x, y }: { row: number; x: number; y: number }) {
  const held = useApp((s) => (s.hoverVector && s.hoverVector.row === row && s.hoverVector.dataset === s.datasetId ? s.hoverVector.vector : null));
  const dim = useApp((s) => selectDataset(s)?.dim ?? 0);
  const side = held ? imageSide(dim, held) : null;
  if (!held || !side) return null;
  return (
    // left of the point: plotly puts its own label to the right
    <div className="hover-image" style={{ left: Math.max(0, x - 92), top: Math.max(0, y - 44) }} data-testid="hover-image">
      <VectorThumb vector={held} side={side} label={`row ${row} as a ${side}×${side} image`} />
      <span className="mono small">row {row}</span>
    </div>
  );
}
