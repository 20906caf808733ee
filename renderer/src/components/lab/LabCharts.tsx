import type { PlotMouseEvent } from 'plotly.js';
import { useMemo, useRef } from 'react';
import type { LabRun } from '../../../../app/contract/lab.js';
import { LAB_PRESETS } from '../../../../app/indexes/lab-configs.js';
import { buildTimeFigure, recallQpsFigure, sizeFigure } from '../../charts/lab-figures.js';
import { useChartTheme } from '../../charts/theme.js';
import { usePlot } from '../../charts/use-plot.js';
import { formatCount } from '../../format.js';
import { useApp } from '../../store/context.js';
import { ErrorNote } from '../ErrorNote.js';

function Chart(props: { figure: ReturnType<typeof recallQpsFigure>; label: string; testId: string; onClick?: (e: PlotMouseEvent) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const failure = usePlot(ref, props.figure, props.onClick);
  return (
    <div className="chart-frame">
      <div ref={ref} className="chart" role="figure" aria-label={props.label} data-testid={props.testId} />
      <ErrorNote error={failure ? { code: 'INTERNAL', message: failure } : null} />
    </div>
  );
}

/** Recall against speed: the ann-benchmarks plot; a click explores the point. */
export function LabRecallChart({ run }: { run: LabRun }) {
  const theme = useChartTheme();
  const explore = useApp((s) => s.exploreLabPoint);
  const preset = useApp((s) => LAB_PRESETS.find((p) => p.id === s.labPreset));
  const main = useMemo(() => recallQpsFigure(run, theme), [run, theme]);
  const onClick = (e: PlotMouseEvent) => {
    const [position, value] = (e.points[0]?.customdata ?? []) as unknown as [number, number | null];
    if (typeof position === 'number') void explore(position, value ?? null);
  };
  return (
    <section className="card lab-main-chart" aria-labelledby="lab-chart-title">
      <div className="card-head">
        <h2 id="lab-chart-title">Recall vs queries per second</h2>
        <p className="result-summary" data-testid="lab-summary">
          {run.dataset.name} · {formatCount(run.queries)} queries · k={run.k} · {run.metric} · ground truth: {run.ground_truth} · faiss {run.faiss} ·{' '}
          {run.machine.cpus} CPUs
        </p>
      </div>
      <p className="hint">
        {preset ? `${preset.lesson} ` : ''}Up and to the right is better; the line joins each index&apos;s Pareto frontier, hollow points are beaten by another
        setting of the same index. Click a point to explore that index at that setting.
      </p>
      <div className="grow">
        <Chart figure={main} label={`Recall@${run.k} against queries per second for ${run.indexes.length} indexes`} testId="lab-chart" onClick={onClick} />
      </div>
    </section>
  );
}

/** What each index pays for its recall: build time and bytes. */
export function LabCostCharts({ run }: { run: LabRun }) {
  const theme = useChartTheme();
  const build = useMemo(() => buildTimeFigure(run, theme), [run, theme]);
  const size = useMemo(() => sizeFigure(run, theme), [run, theme]);
  return (
    <section className="card lab-cost-charts" aria-label="Build time and size against recall">
      <div className="lab-two">
        <div>
          <h2>Build time vs recall</h2>
          <Chart figure={build} label="Build time against recall" testId="lab-build-chart" />
        </div>
        <div>
          <h2>Size vs recall</h2>
          <Chart figure={size} label="Index size against recall" testId="lab-size-chart" />
        </div>
      </div>
    </section>
  );
}
