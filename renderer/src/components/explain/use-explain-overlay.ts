import { useMemo } from 'react';
import type { Data } from 'plotly.js';
import type { Projection } from '../../../../app/contract/operations.js';
import { explainTraces } from '../../charts/explain-figure.js';
import { planeOf, queryPoint } from '../../charts/projection-figure.js';
import type { ChartTheme } from '../../charts/theme.js';
import { useApp } from '../../store/context.js';
import { selectExplainMap, selectExplainRun, type ExplainRun } from '../../store/explain-slice.js';

function querySource(run: ExplainRun): { source: 'queryRows' | 'baseRows' | 'vector'; row: number } {
  const q = run.query;
  return q.kind === 'queryRows' || q.kind === 'baseRows' ? { source: q.kind, row: q.rows[0] } : { source: 'vector', row: -1 };
}

/** The explain layer's traces for the map, or undefined when nothing is explained (or the map is 3D). */
export function useExplainOverlay(projection: Projection | null, dims: 2 | 3, theme: ChartTheme): Data[] | undefined {
  const run = useApp(selectExplainRun);
  const map = useApp(selectExplainMap);
  return useMemo(() => {
    if (!projection || !run || !map || dims === 3 || projection.dataset !== run.dataset) return undefined;
    const plane = planeOf(projection);
    const answer = run.explanation.answer.labels.filter((l) => l >= 0 && l < plane.x.length);
    return explainTraces({ run, map, plane, theme, query: queryPoint(querySource(run), plane, answer) });
  }, [projection, run, map, dims, theme]);
}
