import { useId, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Metric } from '../../../app/contract/operations.js';
import { INDEX_KINDS, KINDS, PARAMS, type IndexKind, type ParamName } from '../../../app/indexes/kinds.js';
import { METRICS, formatBytes, formatCount, formatMs, metricInfo } from '../format.js';
import { useApp } from '../store/context.js';
import { datasetIndexes, factoryPreview, selectActiveIndex } from '../store/index-slice.js';
import { ErrorNote } from './ErrorNote.js';
import { JobProgress } from './JobProgress.js';
import { NumberField } from './NumberField.js';

export function IndexPanel() {
  const id = useId();
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Index</h2>
      <BuildForm />
      <IndexList />
      <IndexFacts />
    </section>
  );
}

function BuildForm() {
  const id = useId();
  const kind = useApp((s) => s.indexKind);
  const params = useApp((s) => s.params);
  const factoryText = useApp((s) => s.factoryText);
  const metric = useApp((s) => s.metric);
  const build = useApp((s) => s.build);
  const buildError = useApp((s) => s.buildError);
  const notice = useApp((s) => s.buildNotice);
  const hasDataset = useApp((s) => s.datasetId !== null);
  const actions = useApp(
    useShallow((s) => ({
      setIndexKind: s.setIndexKind,
      setParam: s.setParam,
      setFactoryText: s.setFactoryText,
      setMetric: s.setMetric,
      buildIndex: s.buildIndex,
      cancelBuild: s.cancelBuild,
    })),
  );

  const preview = useMemo(() => factoryPreview({ indexKind: kind, params, factoryText }), [kind, params, factoryText]);
  const kindInfo = INDEX_KINDS.find((k) => k.kind === kind);
  const metricHint = metricInfo(metric).hint;
  // the live check and the engine's answer speak about the same fields: show one box
  const error = 'error' in preview ? preview.error : buildError;

  return (
    <form
      className="stack"
      aria-label="Build an index"
      // our own checks answer in words with a code, not the browser's bubble
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void actions.buildIndex();
      }}
    >
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-kind`}>Type</label>
          <select
            id={`${id}-kind`}
            value={kind}
            onChange={(e) => actions.setIndexKind(e.target.value as IndexKind)}
            aria-describedby={`${id}-kind-hint`}
            data-testid="index-kind"
          >
            {INDEX_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-metric`}>Metric</label>
          <select
            id={`${id}-metric`}
            value={metric}
            onChange={(e) => actions.setMetric(e.target.value as Metric)}
            aria-describedby={metric !== 'l2' ? `${id}-metric-hint` : undefined}
            data-testid="metric"
          >
            {METRICS.map((m) => (
              <option key={m.metric} value={m.metric}>
                {m.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="hints">
        <p className="hint" id={`${id}-kind-hint`}>
          {kindInfo?.hint}
        </p>
        {metric !== 'l2' ? (
          <p className="hint" id={`${id}-metric-hint`}>
            {metricHint}
          </p>
        ) : null}
      </div>

      {(KINDS[kind].params as readonly ParamName[]).map((name) => (
        <NumberField
          key={name}
          label={PARAMS[name].label}
          value={params[name]}
          onChange={(v) => actions.setParam(name, v ?? Number.NaN)}
          min={PARAMS[name].min}
          max={PARAMS[name].max}
          hint={`${PARAMS[name].min} to ${formatCount(PARAMS[name].max)}; ${PARAMS[name].hint}.`}
          testId={`${name.toLowerCase()}-input`}
        />
      ))}
      {kind === 'factory' ? (
        <div className="field">
          <label htmlFor={`${id}-factory`}>Factory string</label>
          <input
            id={`${id}-factory`}
            type="text"
            spellCheck={false}
            autoComplete="off"
            value={factoryText}
            onChange={(e) => actions.setFactoryText(e.target.value)}
            data-testid="factory-input"
          />
        </div>
      ) : null}

      <div className="actions spread">
        {/* aria-disabled, not disabled, while building: a disabled button drops the keyboard's focus to the page */}
        <button type="submit" className="button primary" disabled={!hasDataset} aria-disabled={build !== null} aria-busy={build !== null} data-testid="build-button">
          {build ? 'Building…' : 'Build index'}
        </button>
        <p className="factory-line" aria-live="polite">
          <span className="muted">factory</span> <code data-testid="factory-string">{'factory' in preview ? preview.factory : '—'}</code>
        </p>
      </div>
      {build ? (
        <JobProgress job={build} label="Index build progress" testId="build-progress" onCancel={() => void actions.cancelBuild()} cancelTestId="cancel-build" />
      ) : null}
      {notice && !build ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorNote error={error} />
    </form>
  );
}

function IndexList() {
  const id = useId();
  const indexes = useApp(useShallow(datasetIndexes));
  const indexId = useApp((s) => s.indexId);
  const error = useApp((s) => s.indexListError);
  const selectIndex = useApp((s) => s.selectIndex);
  const dropIndex = useApp((s) => s.dropIndex);

  if (indexes.length === 0 && !error) return <p className="empty-hint">No index built for this dataset yet.</p>;
  return (
    <fieldset className="index-list" data-testid="index-list">
      <legend>Built indexes</legend>
      <ul>
        {indexes.map((index) => (
          <li key={index.id} className={index.id === indexId ? 'active' : undefined}>
            <input
              type="radio"
              id={`${id}-${index.id}`}
              name={`${id}-active-index`}
              checked={index.id === indexId}
              disabled={index.status !== 'ready'}
              onChange={() => selectIndex(index.id)}
            />
            <label htmlFor={`${id}-${index.id}`} title={index.name}>
              <span className="index-name">{index.factory}</span>{' '}
              <span className="index-sub">
                {metricInfo(index.metric).label} · <span className="mono">{index.id}</span>
                {index.status !== 'ready' ? ` · ${index.status}` : ''}
              </span>
            </label>
            <button type="button" className="icon-button" aria-label={`Remove index ${index.factory} (${index.id})`} title="Remove index" onClick={() => void dropIndex(index.id)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <ErrorNote error={error} />
    </fieldset>
  );
}

function IndexFacts() {
  const index = useApp(selectActiveIndex);
  if (!index) return null;
  return (
    <>
      <dl className="tiles" data-testid="index-facts" aria-label="Active index">
        <div>
          <dt>ntotal</dt>
          <dd>{formatCount(index.ntotal)}</dd>
        </div>
        <div>
          <dt>Memory</dt>
          <dd>{formatBytes(index.memory_bytes)}</dd>
        </div>
        <div>
          <dt>Train</dt>
          <dd>{formatMs(index.train_ms)}</dd>
        </div>
        <div>
          <dt>Add</dt>
          <dd>{formatMs(index.add_ms)}</dd>
        </div>
      </dl>
      {index.warnings?.length ? (
        <ul className="warnings" aria-label="Warnings about this index">
          {index.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
