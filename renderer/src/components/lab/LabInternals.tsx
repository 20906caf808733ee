import { useMemo, useRef } from 'react';
import type { CodecStats, HnswStats, IvfStats, LabRun } from '../../../../app/contract/lab.js';
import { histogramFigure, levelsFigure } from '../../charts/lab-figures.js';
import { useChartTheme } from '../../charts/theme.js';
import { usePlot } from '../../charts/use-plot.js';
import { formatCount, formatDistance } from '../../format.js';
import { useApp } from '../../store/context.js';

function Plot({ figure, label, testId }: { figure: ReturnType<typeof levelsFigure>; label: string; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  usePlot(ref, figure);
  return <div ref={ref} className="chart internals-chart" role="figure" aria-label={label} data-testid={testId} />;
}

/** What is inside each index: how its lists, graph or codes shape recall and speed. */
export function LabInternals({ run }: { run: LabRun }) {
  const inspect = useApp((s) => Math.min(s.labInspect, run.indexes.length - 1));
  const setInspect = useApp((s) => s.setLabInspect);
  const ix = run.indexes[inspect];
  const nothing = !ix.internals.ivf && !ix.internals.hnsw && !ix.internals.codec;
  return (
    <section className="card lab-internals" aria-labelledby="lab-internals-title" data-testid="lab-internals">
      <div className="card-head">
        <h2 id="lab-internals-title">Inside the index</h2>
        <div className="segmented" role="group" aria-label="Index to look inside">
          {run.indexes.map((x, i) => (
            <button key={i} type="button" className={`button small ${i === inspect ? 'primary' : 'subtle'}`} aria-pressed={i === inspect} onClick={() => setInspect(i)}>
              {x.label}
            </button>
          ))}
        </div>
      </div>
      <p className="hint">
        <code>{ix.className || ix.factory}</code> · {formatCount(ix.ntotal)} vectors
      </p>
      {ix.internals.ivf ? <IvfPanel stats={ix.internals.ivf} /> : null}
      {ix.internals.hnsw ? <HnswPanel stats={ix.internals.hnsw} /> : null}
      {ix.internals.codec ? <CodecPanel stats={ix.internals.codec} position={inspect} /> : null}
      {nothing && ix.internals.notes.length === 0 ? <p className="hint">A flat index stores every vector exactly and searches them all: there is nothing inside to tune.</p> : null}
      {ix.internals.notes.map((n) => (
        <p key={n} className="hint">
          {n}
        </p>
      ))}
    </section>
  );
}

function IvfPanel({ stats }: { stats: IvfStats }) {
  const theme = useChartTheme();
  const figure = useMemo(() => histogramFigure(stats.histogram, theme, 'vectors in the list', 'lists'), [stats, theme]);
  return (
    <div className="internals-block">
      <h3>IVF list sizes</h3>
      <p className="hint">
        A search scans its nprobe nearest lists whole, so uneven lists make uneven searches: the imbalance factor is the cost of an average search against
        perfectly even lists (1.0), and empty lists are centroids that waste a probe.
      </p>
      <dl className="tiles">
        <div><dt>lists</dt><dd>{formatCount(stats.nlist)}</dd></div>
        <div><dt>imbalance</dt><dd data-testid="ivf-imbalance">{stats.imbalance.toFixed(3)}</dd></div>
        <div><dt>empty</dt><dd>{formatCount(stats.empty)}</dd></div>
        <div><dt>min · mean · max</dt><dd>{formatCount(stats.min)} · {stats.mean.toFixed(0)} · {formatCount(stats.max)}</dd></div>
      </dl>
      <Plot figure={figure} label="Histogram of IVF list sizes" testId="ivf-histogram" />
    </div>
  );
}

function HnswPanel({ stats }: { stats: HnswStats }) {
  const theme = useChartTheme();
  const levels = useMemo(() => levelsFigure(stats.levels, theme), [stats, theme]);
  const degree = useMemo(() => histogramFigure(stats.degree, theme, 'links on level 0', 'nodes'), [stats, theme]);
  return (
    <div className="internals-block">
      <h3>HNSW graph</h3>
      <p className="hint">
        Every node is on level 0 and each level up holds about 1/M as many: the express lanes a search descends. Nodes with few level-0 links are hard to
        reach, and they are what a larger efSearch buys back in recall.
      </p>
      <dl className="tiles">
        <div><dt>levels</dt><dd>{stats.levels.length}</dd></div>
        <div><dt>mean links</dt><dd>{stats.mean_degree.toFixed(1)}</dd></div>
        <div><dt>max links</dt><dd>{stats.max_degree}</dd></div>
      </dl>
      <div className="lab-two">
        <Plot figure={levels} label="Nodes per HNSW level" testId="hnsw-levels" />
        <Plot figure={degree} label="Histogram of level-0 links per node" testId="hnsw-degree" />
      </div>
    </div>
  );
}

function CodecPanel({ stats, position }: { stats: CodecStats; position: number }) {
  const theme = useChartTheme();
  const explore = useApp((s) => s.exploreLabVector);
  const figure = useMemo(() => histogramFigure(stats.histogram, theme, 'relative error |x − x̂|² / |x|²', 'vectors'), [stats, theme]);
  return (
    <div className="internals-block">
      <h3>Reconstruction error</h3>
      <p className="hint">
        How much of each vector its compressed code loses: distances are computed on the decoded vectors, so the larger the typical error, the more
        neighbours are misranked and the lower the recall this index can reach at any nprobe.
      </p>
      <dl className="tiles">
        <div><dt>mean</dt><dd data-testid="codec-mean">{formatDistance(stats.mean)}</dd></div>
        <div><dt>median</dt><dd>{formatDistance(stats.median)}</dd></div>
        <div><dt>p99</dt><dd>{formatDistance(stats.p99)}</dd></div>
        <div><dt>max</dt><dd>{formatDistance(stats.max)}</dd></div>
      </dl>
      <div className="lab-two">
        <Plot figure={figure} label="Histogram of reconstruction errors" testId="codec-histogram" />
        <div>
          <h4 className="small muted">Worst vectors (click to query with one on the map)</h4>
          <ol className="worst-list">
            {stats.worst.map((w) => (
              <li key={w.id}>
                <button type="button" className="link-button mono" onClick={() => void explore(position, w.id)}>
                  row {w.id}
                </button>{' '}
                <span className="muted">{formatDistance(w.error)}</span>
              </li>
            ))}
          </ol>
        </div>
      </div>
    </div>
  );
}
