import { useMemo, useRef } from 'react';
import { histogramFigure } from '../charts/histogram-figure.js';
import { useChartTheme } from '../charts/theme.js';
import { usePlot } from '../charts/use-plot.js';
import { formatCount, formatDistance, metricInfo, ordinal } from '../format.js';
import { useApp } from '../store/context.js';

/** Distances from the query to a sample of the whole set, with the k-th neighbour's distance marked. */
export function DistanceHistogram() {
  const extras = useApp((s) => (s.extras && s.extras.result === s.result ? s.extras : null));
  const metric = useApp((s) => (s.result ? s.indexes.find((i) => i.id === s.result!.index)?.metric : undefined));
  const theme = useChartTheme();
  const ref = useRef<HTMLDivElement>(null);
  const measure = metric ? metricInfo(metric).measure : 'distance';
  const sample = extras?.sample ?? null;
  const kth = extras ? extras.result.distances[extras.result.distances.length - 1] : Number.NaN;
  const figure = useMemo(
    () =>
      sample && extras
        ? histogramFigure({
            values: sample.distances,
            measure,
            mark: { value: kth, label: ` ${ordinal(extras.result.k)} neighbour: ${formatDistance(kth)}` },
            theme,
            title: `to ${formatCount(sample.sampled)} of ${formatCount(sample.n)} points`,
          })
        : null,
    [sample, extras, kth, measure, theme],
  );
  const failure = usePlot(ref, figure);
  return (
    <div className="chart-frame">
      <div ref={ref} className="chart" data-testid="distance-histogram" role="figure" aria-label={sample ? `Histogram of ${measure} from the query to ${sample.sampled} sampled points, k-th neighbour marked` : 'Distance histogram: no query yet'} />
      {!sample ? <p className="chart-empty">How far the rest of the set is appears here.</p> : null}
      {failure ? <p className="chart-empty">{failure}</p> : null}
    </div>
  );
}
