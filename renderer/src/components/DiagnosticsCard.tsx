import { useId, useMemo, useRef } from 'react';
import { histogramFigure } from '../charts/histogram-figure.js';
import { useChartTheme } from '../charts/theme.js';
import { usePlot } from '../charts/use-plot.js';
import { formatCount, formatDistance, metricInfo, ordinal, plural } from '../format.js';
import { useApp } from '../store/context.js';
import { datasetIndexes, selectActiveIndex } from '../store/index-slice.js';
import { selectDiagnostic } from '../store/diagnostics-slice.js';
import type { HubsResult } from '../../../app/contract/explore.js';
import { median } from '../../../app/eval/latency.js';
import { measuredValues } from '../../../app/eval/missing.js';
import { ErrorNote } from './ErrorNote.js';
import { JobProgress } from './JobProgress.js';
import { NumberField } from './NumberField.js';

/** Dataset-wide checks with faiss: recall of the index per point, how far to trust the map, hubs, near-duplicates. */
export function DiagnosticsCard() {
  const job = useApp((s) => s.diagnosticJob);
  const error = useApp((s) => (s.diagnosticError && s.diagnosticError.kind !== 'colour' ? s.diagnosticError : null));
  const index = useApp(selectActiveIndex);
  const k = useApp((s) => s.k);
  const recall = useApp((s) => selectDiagnostic(s, 'recall'));
  const overlap = useApp((s) => selectDiagnostic(s, 'overlap'));
  const hubs = useApp((s) => selectDiagnostic(s, 'hubs'));
  const dups = useApp((s) => selectDiagnostic(s, 'duplicates'));
  const radius = useApp((s) => s.duplicateRadius);
  const method = useApp((s) => s.projectionMethod);
  const setColourBy = useApp((s) => s.setColourBy);
  const runDiagnostic = useApp((s) => s.runDiagnostic);
  const cancel = useApp((s) => s.cancelDiagnostic);
  const setRadius = useApp((s) => s.setDuplicateRadius);
  const queryBasePoint = useApp((s) => s.queryBasePoint);
  const busy = job !== null;
  const noIndex = !index;
  const measure = index ? metricInfo(index.metric).measure : 'distance';

  return (
    <section className="card diagnostics-card" aria-labelledby="diagnostics-title">
      <div className="card-head">
        <h2 id="diagnostics-title">Diagnostics</h2>
        <p className="muted small">computed by faiss over the whole set, for the active index and k = {k}</p>
      </div>
      {job ? <JobProgress job={job} label={`${job.kind} progress`} testId="diagnostic-progress" cancelTestId="diagnostic-cancel" onCancel={() => void cancel()} /> : null}
      <ErrorNote error={error} />
      <div className="diagnostics-grid">
        <article className="diag" data-testid="diag-recall-box">
          <h3>Exact vs approximate</h3>
          <p className="hint">Each sampled point as a query: recall@{k} of the index against exact search, drawn as colour.</p>
          <button type="button" className="button subtle small" disabled={busy || noIndex} onClick={() => void setColourBy('recall')} data-testid="diag-recall">
            Colour by recall
          </button>
          {recall ? (
            <p className="figure" data-testid="recall-summary">
              mean recall@{recall.k} <strong>{(recall.mean * 100).toFixed(1)}%</strong> over {formatCount(recall.evaluated)} points
            </p>
          ) : null}
        </article>

        <article className="diag" data-testid="diag-trust-box">
          <h3>How far to trust the map</h3>
          <p className="hint">Share of each point&apos;s {k} nearest (full space) that stay nearest on the {method === 'umap' ? 'UMAP' : 'PCA'} map.</p>
          <button type="button" className="button subtle small" disabled={busy} onClick={() => void setColourBy('overlap')} data-testid="diag-trust">
            Colour by neighbourhood kept
          </button>
          {overlap ? (
            <p className="figure" data-testid="trust-summary">
              trustworthiness <strong>{overlap.trustworthiness.toFixed(3)}</strong> ({formatCount(overlap.trustRows)} rows) · mean overlap {(overlap.meanOverlap * 100).toFixed(0)}%
            </p>
          ) : null}
        </article>

        <article className="diag" data-testid="diag-hubs-box">
          <h3>Hubs</h3>
          <p className="hint">How often each point is in the others&apos; {k} nearest (k-occurrence), as the active index finds them.</p>
          <div className="actions">
            <button type="button" className="button subtle small" disabled={busy || noIndex} onClick={() => void runDiagnostic('hubs')} data-testid="diag-hubs">
              Find hubs
            </button>
            {hubs ? (
              <button type="button" className="button subtle small" onClick={() => void setColourBy('hubs')}>
                Colour by it
              </button>
            ) : null}
          </div>
          {hubs ? <HubsView hubs={hubs} measure={measure} onPick={(row) => void queryBasePoint(row)} /> : null}
        </article>

        <article className="diag" data-testid="diag-dups-box">
          <h3>Near-duplicates</h3>
          <p className="hint">Pairs within a radius, by faiss range search ({measure}).</p>
          <div className="actions">
            <NumberField label="Radius" value={radius} onChange={(v) => setRadius(v ?? 0)} min={0} step={0.1} testId="dup-radius" />
            <button type="button" className="button subtle small align-end" disabled={busy || noIndex} onClick={() => void runDiagnostic('duplicates')} data-testid="diag-duplicates">
              Find pairs
            </button>
          </div>
          {dups ? (
            <div data-testid="dup-results">
              <p className="figure">
                <strong>{formatCount(dups.total)}</strong> pairs within {dups.radius}
                {dups.via === 'exact' ? ' (searched exactly: this index has no range search)' : ''}
              </p>
              <ul className="pair-list" data-testid="dup-list">
                {Array.from(dups.a.subarray(0, 30), (a, i) => (
                  <li key={i}>
                    <button type="button" className="link" onClick={() => void queryBasePoint(a)}>
                      <span className="mono">
                        {a} ↔ {dups.b[i]}
                      </span>{' '}
                      <span className="muted">{formatDistance(dups.distances[i])}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </article>
      </div>
      <CompareIndexes />
    </section>
  );
}

function HubsView({ hubs, measure, onPick }: { hubs: HubsResult; measure: string; onPick: (row: number) => void }) {
  const theme = useChartTheme();
  const ref = useRef<HTMLDivElement>(null);
  const figure = useMemo(() => {
    const middle = median(measuredValues(hubs.kthDistances));
    return histogramFigure({ values: hubs.kthDistances, measure, mark: { value: middle, label: ` median ${formatDistance(middle)}` }, theme, title: `distance to each point's ${ordinal(hubs.k)} neighbour` });
  }, [hubs, measure, theme]);
  usePlot(ref, figure);
  return (
    <div className="stack">
      <p className="figure" data-testid="hubs-summary">
        skewness <strong>{hubs.skewness.toFixed(2)}</strong> · {plural(hubs.orphans, 'point')} in no one&apos;s list
      </p>
      <ol className="hub-list" data-testid="hub-list">
        {hubs.top.slice(0, 8).map((h) => (
          <li key={h.id}>
            <button type="button" className="link" onClick={() => onPick(h.id)}>
              <span className="mono">row {h.id}</span> <span className="muted">in {plural(h.count, 'list')}</span>
            </button>
          </li>
        ))}
      </ol>
      <div className="chart-frame mini">
        <div ref={ref} className="chart" data-testid="kth-histogram" role="figure" aria-label="Histogram of each point's k-th neighbour distance" />
      </div>
    </div>
  );
}

/** The same query through another index, beside the active one and exact search. */
function CompareIndexes() {
  const id = useId();
  const result = useApp((s) => s.result);
  const indexes = useApp((s) => s.indexes);
  const datasetId = useApp((s) => s.datasetId);
  const others = useMemo(() => datasetIndexes({ indexes, datasetId }).filter((i) => i.status === 'ready' && i.id !== result?.index), [indexes, datasetId, result]);
  const compareIndex = useApp((s) => s.compareIndex);
  const compare = useApp((s) => (s.compare && s.compare.result === s.result ? s.compare : null));
  const error = useApp((s) => s.compareError);
  const setCompareIndex = useApp((s) => s.setCompareIndex);
  if (!result) return null;
  const name = (ix: string) => indexes.find((i) => i.id === ix)?.factory ?? ix;
  const exact = compare ? new Set(compare.exactIds) : null;
  const recallOf = (ids: Float64Array) => (exact ? Array.from(ids).filter((v) => v >= 0 && exact.has(v)).length / Math.max(1, exact.size) : 0);
  const mark = (v: number) => (v < 0 ? '—' : `${v}${exact && !exact.has(v) ? ' ✗' : ''}`);

  return (
    <div className="compare" data-testid="compare">
      <div className="actions">
        <label htmlFor={`${id}-other`} className="small">
          Compare this query with
        </label>
        <select id={`${id}-other`} value={compareIndex ?? ''} onChange={(e) => void setCompareIndex(e.target.value || null)} data-testid="compare-index" className="compact">
          <option value="">another index…</option>
          {others.map((i) => (
            <option key={i.id} value={i.id}>
              {i.factory} ({i.metric})
            </option>
          ))}
        </select>
      </div>
      <ErrorNote error={error} />
      {compare ? (
        <div className="table-scroll compare-scroll">
          <table className="neighbours" data-testid="compare-table">
            <thead>
              <tr>
                <th scope="col">Rank</th>
                <th scope="col">{name(result.index)} · recall {(recallOf(result.ids) * 100).toFixed(0)}%</th>
                <th scope="col">{name(compare.other)} · recall {(recallOf(compare.ids) * 100).toFixed(0)}%</th>
                <th scope="col">exact</th>
              </tr>
            </thead>
            <tbody>
              {Array.from(compare.exactIds, (e, r) => (
                <tr key={r}>
                  <td>{r + 1}</td>
                  <td className="mono">{mark(result.ids[r] ?? -1)}</td>
                  <td className="mono">{mark(compare.ids[r] ?? -1)}</td>
                  <td className="mono">{e < 0 ? '—' : e}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
