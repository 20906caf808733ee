import { useId } from 'react';
import { MAX_WHOLE_CATEGORIES, type ColourSpec } from '../charts/colour-spec.js';
import { depthProblem } from '../charts/projection-figure.js';
import { useChartTheme } from '../charts/theme.js';
import { formatCount } from '../format.js';
import { useApp } from '../store/context.js';
import { selectDataset } from '../store/dataset-slice.js';
import { selectDiagnostic, type ColourBy } from '../store/diagnostics-slice.js';
import type { DragMode } from '../store/selection-slice.js';
import { selectShownDims, selectShownProjection, selectUmap } from '../store/umap-slice.js';

const DRAG_MODES: { mode: DragMode; label: string; title: string }[] = [
  { mode: 'zoom', label: 'Zoom', title: 'Drag to zoom; double-click to reset' },
  { mode: 'pan', label: 'Pan', title: 'Drag to move the view' },
  { mode: 'select', label: 'Box', title: 'Drag a box to select points' },
  { mode: 'lasso', label: 'Lasso', title: 'Draw around points to select them' },
];

/** Above the scatter: which projection, what colours the points, and what dragging does. */
export function ProjectionToolbar() {
  const id = useId();
  const dataset = useApp(selectDataset);
  // the pressed button is what the scatter shows: UMAP only once it is computed
  const method = useApp((s) => selectShownProjection(s)?.method ?? s.projectionMethod);
  const umap = useApp(selectUmap);
  const projection = useApp(selectShownProjection);
  const dims = useApp(selectShownDims);
  const wantsDepth = useApp((s) => s.projectionDims === 3);
  const setDims = useApp((s) => s.setProjectionDims);
  const colourBy = useApp((s) => s.colourBy);
  const dragMode = useApp((s) => s.dragMode);
  const overlap = useApp((s) => selectDiagnostic(s, 'overlap'));
  const setMethod = useApp((s) => s.setProjectionMethod);
  const runUmap = useApp((s) => s.runUmap);
  const setColourBy = useApp((s) => s.setColourBy);
  const wholeAsCategories = useApp((s) => s.wholeAsCategories);
  const setWholeAsCategories = useApp((s) => s.setWholeAsCategories);
  const setDragMode = useApp((s) => s.setDragMode);
  const flatOnly = projection ? depthProblem(projection) : null;

  return (
    <div className="toolbar" role="toolbar" aria-label="Projection view">
      <div className="segmented" role="group" aria-label="Projection method">
        <button type="button" aria-pressed={method === 'pca'} onClick={() => setMethod('pca')} data-testid="method-pca">
          PCA
        </button>
        <button
          type="button"
          aria-pressed={method === 'umap'}
          onClick={() => (umap ? setMethod('umap') : void runUmap())}
          data-testid="method-umap"
          title={umap ? 'Show the UMAP layout' : 'Compute UMAP with the settings in the sidebar'}
        >
          UMAP
        </button>
      </div>
      <label className="inline-field" htmlFor={`${id}-colour`}>
        Colour by
        <select id={`${id}-colour`} value={colourBy} onChange={(e) => void setColourBy(e.target.value as ColourBy)} data-testid="colour-by">
          <option value="none">nothing</option>
          {/* labels read from a metadata column are that column, offered under its own name */}
          {dataset?.labels && !dataset.labelColumn ? <option value="label">label</option> : null}
          {dataset?.metadata?.map((m) => (
            <option key={m.name} value={`meta:${m.name}`}>
              {m.name}
            </option>
          ))}
          <option value="recall">recall@k of the index vs exact</option>
          <option value="overlap">neighbourhood kept by the map</option>
          <option value="hubs">k-occurrence (hubness)</option>
        </select>
      </label>
      {colourBy.startsWith('meta:') && dataset?.metadata?.find((m) => `meta:${m.name}` === colourBy)?.type === 'number' ? (
        <label className="inline-field" title={`Up to ${MAX_WHOLE_CATEGORIES} distinct whole numbers (class ids, digits) as classes, each its own colour`}>
          <input type="checkbox" checked={wholeAsCategories} onChange={(e) => setWholeAsCategories(e.target.checked)} data-testid="whole-as-categories" />
          whole numbers as classes
        </label>
      ) : null}
      <div className="segmented" role="group" aria-label="Axes">
        <button type="button" aria-pressed={dims === 2} onClick={() => setDims(2)} data-testid="view-2d" title="A flat scatter of the first two axes">
          2D
        </button>
        <button
          type="button"
          aria-pressed={dims === 3}
          disabled={!projection || flatOnly !== null}
          aria-describedby={flatOnly && wantsDepth ? `${id}-flat` : undefined}
          onClick={() => setDims(3)}
          data-testid="view-3d"
          title={flatOnly ?? 'Turn the scatter in 3D, with the third principal component as depth'}
        >
          3D
        </button>
      </div>
      {/* 3D chosen, but this projection has no third axis: say why it is flat */}
      {flatOnly && wantsDepth ? (
        <span className="muted small" id={`${id}-flat`} data-testid="flat-only">
          {flatOnly}
        </span>
      ) : null}
      {dims === 3 ? (
        <span className="muted small" data-testid="turn-hint">
          Drag to turn · scroll to zoom · box and lasso select in 2D
        </span>
      ) : (
        <div className="segmented" role="group" aria-label="Drag to">
          {DRAG_MODES.map((d) => (
            <button key={d.mode} type="button" aria-pressed={dragMode === d.mode} onClick={() => setDragMode(d.mode)} title={d.title} data-testid={`drag-${d.mode}`}>
              {d.label}
            </button>
          ))}
        </div>
      )}
      {overlap ? (
        <span className="toolbar-fact" data-testid="trust-figure" title={`Over ${formatCount(overlap.trustRows)} sampled points, k=${overlap.k}`}>
          trustworthiness <strong>{overlap.trustworthiness.toFixed(3)}</strong> · overlap {(overlap.meanOverlap * 100).toFixed(0)}%
        </span>
      ) : null}
    </div>
  );
}

const MAX_SWATCHES = 24;

/** The colour key under the scatter: named swatches for categories, the measure's name for numbers. */
export function ColourLegend({ colour }: { colour: ColourSpec }) {
  const theme = useChartTheme();
  if (colour.kind === 'number') {
    return (
      <p className="legend muted small" data-testid="colour-legend">
        Colour: <strong>{colour.title}</strong>
        {colour.rows ? ` on ${formatCount(colour.rows.length)} sampled points (the rest drawn grey)` : ' on every point'} · scale on the right
      </p>
    );
  }
  return <CategoryLegend colour={colour} colours={theme.categories} />;
}

/** Named swatches with counts; each a toggle that hides or shows its points on the map. */
function CategoryLegend({ colour, colours }: { colour: Extract<ColourSpec, { kind: 'category' }>; colours: string[] }) {
  const hidden = useApp((s) => s.hiddenCategories);
  const toggle = useApp((s) => s.toggleCategory);
  const counts = new Map<number, number>();
  for (const c of colour.codes) counts.set(c, (counts.get(c) ?? 0) + 1);
  const shown = colour.names.slice(0, MAX_SWATCHES);
  return (
    <ul className="legend swatches" data-testid="colour-legend" aria-label={`Colours by ${colour.title}; each button shows or hides its points`}>
      {shown.map((name, i) => (
        <li key={i}>
          <button type="button" className="swatch-toggle" aria-pressed={!hidden.includes(i)} onClick={() => toggle(i)} title={hidden.includes(i) ? `Show ${name}` : `Hide ${name}`}>
            <span className="swatch" style={{ background: colours[i % colours.length] }} aria-hidden="true" />
            {name} <span className="muted">{formatCount(counts.get(i) ?? 0)}</span>
          </button>
        </li>
      ))}
      {colour.names.length > MAX_SWATCHES ? <li className="muted">+{colour.names.length - MAX_SWATCHES} more</li> : null}
    </ul>
  );
}

const DIAGNOSTIC_NAMES = { recall: 'recall@k', overlap: 'neighbourhood overlap', hubs: 'k-occurrence' } as const;

/** A diagnostic colouring chosen but not computed for the current index, map or k: say so, offer to compute it. */
export function MissingColour() {
  const colourBy = useApp((s) => s.colourBy);
  const k = useApp((s) => s.k);
  const busy = useApp((s) => s.diagnosticJob !== null);
  const run = useApp((s) => s.runDiagnostic);
  if (colourBy !== 'recall' && colourBy !== 'overlap' && colourBy !== 'hubs') return null;
  return (
    <p className="legend muted small" data-testid="colour-missing">
      {DIAGNOSTIC_NAMES[colourBy]} is not computed for this index, map and k = {k} yet.{' '}
      <button type="button" className="link" disabled={busy} onClick={() => void run(colourBy)}>
        Compute it
      </button>
    </p>
  );
}
