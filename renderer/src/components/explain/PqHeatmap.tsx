import { useMemo, useRef } from 'react';
import type { Explanation } from '../../../../app/contract/explain.js';
import { pqHeatmapFigure } from '../../charts/explain-figure.js';
import { useChartTheme } from '../../charts/theme.js';
import { usePlot } from '../../charts/use-plot.js';
import { ErrorNote } from '../ErrorNote.js';

/** The query's PQ distance table, one answer's code drawn on it as picked cells. */
export function PqHeatmap({ pq, pick }: { pq: NonNullable<Explanation['pq']>; pick: number | null }) {
  const theme = useChartTheme();
  const ref = useRef<HTMLDivElement>(null);
  const figure = useMemo(() => pqHeatmapFigure(pq, pick, theme), [pq, pick, theme]);
  const failure = usePlot(ref, figure);
  return (
    <div className="pq-heatmap">
      <div ref={ref} className="chart" data-testid="pq-heatmap" role="figure" aria-label={`PQ distance table, ${pq.M} sub-quantizers by ${pq.ksub} centroids`} />
      <ErrorNote error={failure ? { code: 'INTERNAL', message: failure } : null} />
    </div>
  );
}
