import { useCallback, useMemo, useRef } from 'react';
import type { PlotMouseEvent } from 'plotly.js';
import { projectionFigure } from '../charts/projection-figure.js';
import { useChartTheme } from '../charts/theme.js';
import { usePlot } from '../charts/use-plot.js';
import { formatCount } from '../format.js';
import { useApp } from '../store/context.js';
import { selectDataset } from '../store/dataset-slice.js';
import { selectProjection } from '../store/view-slice.js';
import { ErrorNote } from './ErrorNote.js';
import { JobProgress } from './JobProgress.js';

export function ProjectionPanel() {
  const projection = useApp(selectProjection);
  const job = useApp((s) => s.projectionJob);
  const error = useApp((s) => s.projectionError);
  const dataset = useApp(selectDataset);
  const result = useApp((s) => s.result);
  const focusedRank = useApp((s) => s.focusedRank);
  const cancel = useApp((s) => s.cancelProjection);
  const retry = useApp((s) => s.runProjection);
  const queryBasePoint = useApp((s) => s.queryBasePoint);
  const theme = useChartTheme();
  const ref = useRef<HTMLDivElement>(null);

  const figure = useMemo(
    () => (projection ? projectionFigure({ projection, result, focusedRank, theme }) : null),
    [projection, result, focusedRank, theme],
  );
  const onClick = useCallback(
    (e: PlotMouseEvent) => {
      const point = e.points[0];
      if (!point || !figure) return;
      const row = figure.rowsOf(point.curveNumber, point.pointNumber);
      if (row !== null) void queryBasePoint(row);
    },
    [figure, queryBasePoint],
  );
  const failure = usePlot(ref, figure, onClick);
  const points = projection ? projection.base.length / 2 : 0;

  return (
    <section className="card projection-card" aria-labelledby="projection-title">
      <div className="card-head">
        <h2 id="projection-title">PCA projection</h2>
        <p className="muted small">{projection ? `${formatCount(points)} points · click one to search from it` : dataset ? `of ${dataset.name}` : ''}</p>
      </div>
      {job ? <JobProgress job={job} label="Projection progress" testId="projection-progress" onCancel={() => void cancel()} /> : null}
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
      <div className="chart-frame grow">
        <div
          ref={ref}
          className="chart"
          data-testid="projection"
          role="figure"
          aria-label={
            projection
              ? `Scatter plot of ${formatCount(points)} base vectors on their first two principal components${result ? ', with the query and its neighbours highlighted' : ''}`
              : 'Projection: not computed yet'
          }
        />
        {!projection && !job && !error ? <p className="chart-empty">The projection appears once a dataset is open.</p> : null}
        {!projection && job ? <p className="chart-empty">Projecting {dataset ? formatCount(dataset.n) : ''} vectors…</p> : null}
      </div>
      <ErrorNote error={failure ? { code: 'INTERNAL', message: failure } : null} />
    </section>
  );
}
