import { useId } from 'react';
import { formatBytes, formatCount } from '../format.js';
import { useApp } from '../store/context.js';
import { selectDataset, TUTORIAL_DATASET } from '../store/dataset-slice.js';
import { ErrorNote } from './ErrorNote.js';
import { OpenFile } from './OpenFile.js';

const formatNumber = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));

export function DatasetPanel() {
  const id = useId();
  const datasets = useApp((s) => s.datasets);
  const datasetId = useApp((s) => s.datasetId);
  const loading = useApp((s) => s.datasetsLoading);
  const error = useApp((s) => s.datasetError);
  const choose = useApp((s) => s.selectDataset);
  const dataset = useApp(selectDataset);
  const tutorial = datasets.find((d) => d.id === TUTORIAL_DATASET);

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Dataset</h2>
      <div className="field">
        <label htmlFor={id}>Open dataset</label>
        <select
          id={id}
          value={datasetId ?? ''}
          onChange={(e) => void choose(e.target.value)}
          disabled={datasets.length === 0}
          data-testid="dataset-select"
        >
          {datasets.length === 0 ? <option value="">{loading ? 'Loading…' : 'No datasets'}</option> : null}
          {datasets.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </div>
      {tutorial && datasetId !== TUTORIAL_DATASET ? (
        <button type="button" className="button link small" onClick={() => void choose(TUTORIAL_DATASET)} data-testid="open-tutorial" title="faiss's getting-started set: uniform noise with a drift along column 0">
          Open the {tutorial.name} set
        </button>
      ) : null}
      {dataset ? (
        <>
          <dl className="tiles" data-testid="dataset-details">
            <div>
              <dt>Vectors</dt>
              <dd>{formatCount(dataset.n)}</dd>
            </div>
            <div>
              <dt>Dim</dt>
              <dd>{formatCount(dataset.dim)}</dd>
            </div>
            <div>
              <dt>Type</dt>
              <dd>{dataset.dtype}</dd>
            </div>
            <div>
              <dt>Queries</dt>
              <dd>{dataset.nq > 0 ? formatCount(dataset.nq) : 'none'}</dd>
            </div>
          </dl>
          {dataset.stats ? (
            <p className="hint" data-testid="dataset-stats">
              Norms {formatNumber(dataset.stats.norm_min)} / {formatNumber(dataset.stats.norm_mean)} / {formatNumber(dataset.stats.norm_max)} (min / mean / max)
              {dataset.stats.zero_vectors > 0 ? `, ${formatCount(dataset.stats.zero_vectors)} zero vectors` : ', no zero vectors'}
              {`, ${formatBytes(dataset.stats.memory_bytes)} in memory`}
            </p>
          ) : null}
          {dataset.labels ? <p className="hint">Labelled: the projection colours points by label.</p> : null}
          {dataset.metadata?.length ? (
            <p className="hint" data-testid="dataset-metadata">
              Metadata: {dataset.metadata.map((m) => `${m.name} (${m.type})`).join(', ')}
            </p>
          ) : null}
          {dataset.metric ? <p className="hint">The file asks for the {dataset.metric} metric.</p> : null}
        </>
      ) : null}
      <OpenFile />
      <ErrorNote error={error} />
    </section>
  );
}
