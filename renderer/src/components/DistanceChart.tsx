import { useMemo, useRef } from 'react';
import { distanceFigure } from '../charts/distance-figure.js';
import { useChartTheme } from '../charts/theme.js';
import { usePlot } from '../charts/use-plot.js';
import { metricInfo, plural } from '../format.js';
import { useApp } from '../store/context.js';
import { ErrorNote } from './ErrorNote.js';

export function DistanceChart() {
  const result = useApp((s) => s.result);
  const focusedRank = useApp((s) => s.focusedRank);
  const metric = useApp((s) => (s.result ? s.indexes.find((i) => i.id === s.result!.index)?.metric : undefined));
  const theme = useChartTheme();
  const ref = useRef<HTMLDivElement>(null);
  const measure = metric ? metricInfo(metric).measure : 'distance';
  const figure = useMemo(() => (result ? distanceFigure({ result, measure, focusedRank, theme }) : null), [result, measure, focusedRank, theme]);
  const failure = usePlot(ref, figure);

  return (
    <div className="chart-frame">
      <div
        ref={ref}
        className="chart"
        data-testid="distance-chart"
        role="figure"
        aria-label={result ? `Bar chart of the ${plural(result.ids.length, 'neighbour')}' ${measure} by rank` : 'Distance chart: no query yet'}
      />
      {!result ? <p className="chart-empty">Neighbour distances appear here.</p> : null}
      <ErrorNote error={failure ? { code: 'INTERNAL', message: failure } : null} />
    </div>
  );
}
