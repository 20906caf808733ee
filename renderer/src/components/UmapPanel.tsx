import { useId } from 'react';
import type { UmapResult } from '../../../app/contract/explore.js';
import { AUTO_IVF_FROM, UMAP_RANGES, type GraphChoice } from '../../../app/projection/umap-options.js';
import { formatMs } from '../format.js';
import { useApp } from '../store/context.js';
import { selectDataset } from '../store/dataset-slice.js';
import { selectUmap } from '../store/umap-slice.js';
import { NumberField } from './NumberField.js';

/** UMAP's settings and its Run button; the layout itself is drawn in the projection card. */
export function UmapPanel() {
  const id = useId();
  const dataset = useApp(selectDataset);
  const params = useApp((s) => s.umapParams);
  const job = useApp((s) => s.umapJob);
  const notice = useApp((s) => s.umapNotice);
  const umap = useApp(selectUmap);
  const setParams = useApp((s) => s.setUmapParams);
  const run = useApp((s) => s.runUmap);
  const num = (v: number | null) => v ?? Number.NaN;

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>UMAP</h2>
      <form
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div className="field-row">
          <NumberField label="Neighbours" value={params.nNeighbors} onChange={(v) => setParams({ nNeighbors: num(v) })} min={UMAP_RANGES.nNeighbors.min} max={UMAP_RANGES.nNeighbors.max} testId="umap-neighbours" />
          <NumberField label="Min distance" value={params.minDist} onChange={(v) => setParams({ minDist: num(v) })} min={0} max={UMAP_RANGES.minDist.max} step={0.05} testId="umap-min-dist" />
        </div>
        <div className="field-row">
          <NumberField label="Epochs" value={params.epochs} onChange={(v) => setParams({ epochs: num(v) })} min={1} max={UMAP_RANGES.epochs.max} testId="umap-epochs" />
          <NumberField label="Seed" value={params.seed} onChange={(v) => setParams({ seed: num(v) })} min={0} testId="umap-seed" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-graph`}>kNN graph from faiss</label>
          <select id={`${id}-graph`} value={params.graph} onChange={(e) => setParams({ graph: e.target.value as GraphChoice })} data-testid="umap-graph">
            <option value="auto">Auto: exact below {AUTO_IVF_FROM / 1000}k, else IVF</option>
            <option value="flat">Flat: exact neighbours</option>
            <option value="ivf">IVF: approximate, quick on large sets</option>
            <option value="hnsw">HNSW32: approximate graph</option>
          </select>
        </div>
        <div className="actions">
          <button type="submit" className="button primary" disabled={!dataset || job !== null} data-testid="umap-run">
            {job ? 'Running…' : umap ? 'Show UMAP' : 'Run UMAP'}
          </button>
          <span className="hint inline">
            {umap ? `${graphUsed(umap)} ${formatMs(umap.knn_ms)} · layout ${formatMs(umap.layout_ms)}` : 'Seeded: the same settings give the same map.'}
          </span>
        </div>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
      </form>
    </section>
  );
}

const GRAPH_NAMES = { flat: 'exact', ivf: 'IVF', hnsw: 'HNSW' } as const;

/** The kNN graph a map was made from, as "kNN (IVF, auto; recall@15 0.96 on a sample)". */
function graphUsed(umap: UmapResult): string {
  const auto = umap.params.graph === 'auto' ? ', auto' : '';
  const recall = umap.knn_graph === 'flat' ? '' : `; recall@${umap.params.nNeighbors} ${umap.knn_recall.toFixed(2)} on a sample`;
  return `kNN (${GRAPH_NAMES[umap.knn_graph]}${auto}${recall})`;
}
