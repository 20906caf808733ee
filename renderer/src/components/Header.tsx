import { formatCount } from '../format.js';
import { useApp } from '../store/context.js';
import { selectDataset } from '../store/dataset-slice.js';

export function Header({ mode }: { mode: 'ipc' | 'http' }) {
  const dataset = useApp(selectDataset);
  const notice = useApp((s) => s.engineNotice);
  return (
    <header className="app-header">
      <div className="brand">
        <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="6" cy="7" r="2.2" />
          <circle cx="17" cy="5" r="1.6" />
          <circle cx="12" cy="13" r="3" />
          <circle cx="5" cy="18" r="1.6" />
          <circle cx="19" cy="17" r="2.2" />
        </svg>
        <h1>Faiss Explorer</h1>
        {mode === 'http' ? <span className="badge" title="Served by the local engine over HTTP">browser mode</span> : null}
      </div>
      <p className="dataset-facts" data-testid="dataset-facts" aria-live="polite">
        {dataset ? (
          <>
            <strong>{dataset.name}</strong>
            <span>{formatCount(dataset.n)} vectors</span>
            <span>dim {formatCount(dataset.dim)}</span>
            <span>{dataset.nq > 0 ? `${formatCount(dataset.nq)} queries` : 'no query set'}</span>
          </>
        ) : (
          <span className="muted">No dataset open</span>
        )}
      </p>
      {notice ? (
        <p className="engine-notice" role="status">
          {notice}
        </p>
      ) : null}
    </header>
  );
}
