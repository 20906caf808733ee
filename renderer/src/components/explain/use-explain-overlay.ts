import { useMemo } from 'react';
import type { Data } from 'plotly.js';
import type { Projection } from '../../../../app/contract/operations.js';
import type { ColourSpec } from '../../charts/colour-spec.js';
import { explainTraces, listColour } from '../../charts/explain-figure.js';
import { planeOf, queryPoint } from '../../charts/projection-figure.js';
import type { ChartTheme } from '../../charts/theme.js';
import { useApp } from '../../store/context.js';
import { selectExplainMap, selectExplainRun, type ExplainRun } from '../../store/explain-slice.js';

function querySource(run: ExplainRun): { source: 'queryRows' | 'baseRows' | 'vector'; row: number } {
  const q = run.query;
  return q.kind === 'queryRows' || q.kind === 'baseRows' ? { source: q.kind, row: q.rows[0] } : { source: 'vector', row: -1 };
}

export interface ExplainOverlayParts {
  traces: Data[];
  /** IVF: the map's own points coloured by list (changes once per run, not per step) */
  colour: ColourSpec | null;
}

/** The explain layer for the map, or undefined when nothing is explained (or the map is 3D). */
export function useExplainOverlay(projection: Projection | null, dims: 2 | 3, theme: ChartTheme): ExplainOverlayParts | undefined {
  const run = useApp(selectExplainRun);
  const map = useApp(selectExplainMap);
  return useMemo(() => {
    if (!projection || !run || !map || dims === 3 || projection.dataset !== run.dataset) return undefined;
    const plane = planeOf(projection);
    const answer = run.explanation.answer.labels.filter((l) => l >= 0 && l < plane.x.length);
    const traces = explainTraces({ run, map, plane, theme, query: queryPoint(querySource(run), plane, answer) });
    return { traces, colour: map.lists && run.rowLists && run.explanation.ivf ? listColour(run.rowLists, run.explanation.ivf.nlist) : null };
  }, [projection, run, map, dims, theme]);
}
