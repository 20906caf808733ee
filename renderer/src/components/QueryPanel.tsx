import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { plural } from '../format.js';
import { useApp } from '../store/context.js';
import { selectDataset } from '../store/dataset-slice.js';
import { selectActiveIndex } from '../store/index-slice.js';
import { K_RANGE, tunableParams, type QuerySourceKind } from '../store/query-slice.js';
import { ErrorNote } from './ErrorNote.js';
import { ExplainButtons } from './explain/ExplainButtons.js';
import { focusResults } from './NeighbourTable.js';
import { NumberField } from './NumberField.js';

export function QueryPanel() {
  const id = useId();
  const dataset = useApp(selectDataset);
  const index = useApp(selectActiveIndex);
  const { k, querySource, queryRow, nprobe, efSearch, running, error } = useApp(
    useShallow((s) => ({
      k: s.kField,
      querySource: s.querySource,
      queryRow: s.queryRow,
      nprobe: s.nprobe,
      efSearch: s.efSearch,
      running: s.queryRunning,
      error: s.queryError,
    })),
  );
  const actions = useApp(
    useShallow((s) => ({
      setK: s.setK,
      setQuerySource: s.setQuerySource,
      setQueryRow: s.setQueryRow,
      setNprobe: s.setNprobe,
      setEfSearch: s.setEfSearch,
      runQuery: s.runQuery,
    })),
  );
  const hasResult = useApp((s) => s.result !== null);
  const tunable = tunableParams(index?.factory ?? '');
  // nothing to search until the dataset has a ready index (a build enables the button)
  const ready = index !== null && index.status === 'ready' && dataset !== null && index.dataset === dataset.id;
  const rows = dataset ? (querySource === 'queryRows' ? dataset.nq : dataset.n) : 0;

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Query</h2>
      <form
        className="stack"
        aria-label="Run a query"
        // our own checks answer in words with a code, not the browser's bubble
        noValidate
        onSubmit={(e) => {
          e.preventDefault(); // Enter in any field runs the query
          void actions.runQuery();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-source`}>Query from</label>
          <select
            id={`${id}-source`}
            value={querySource}
            onChange={(e) => actions.setQuerySource(e.target.value as QuerySourceKind)}
            data-testid="query-source"
          >
            <option value="queryRows" disabled={!dataset || dataset.nq === 0}>
              {dataset && dataset.nq === 0 ? 'Query set (none in this file)' : `Query set${dataset ? ` (${plural(dataset.nq, 'row')})` : ''}`}
            </option>
            <option value="baseRows">Base vectors{dataset ? ` (${plural(dataset.n, 'row')})` : ''}</option>
          </select>
        </div>
        <div className="field-row">
          <NumberField
            label={querySource === 'queryRows' ? 'Query-set row' : 'Base row'}
            value={queryRow}
            onChange={(v) => actions.setQueryRow(v ?? Number.NaN)}
            min={0}
            max={Math.max(0, rows - 1)}
            testId="query-row"
          />
          <NumberField label="k neighbours" value={k} onChange={(v) => actions.setK(v ?? Number.NaN)} min={K_RANGE.min} max={K_RANGE.max} testId="k-input" />
        </div>
        {tunable.nprobe || tunable.efSearch ? (
          <div className="field-row">
            {tunable.nprobe ? (
              <NumberField label="nprobe" value={nprobe} onChange={actions.setNprobe} min={1} placeholder="default" testId="nprobe-input" />
            ) : null}
            {tunable.efSearch ? (
              <NumberField label="efSearch" value={efSearch} onChange={actions.setEfSearch} min={1} placeholder="default" testId="efsearch-input" />
            ) : null}
          </div>
        ) : null}
        <div className="actions query-actions">
          <button type="submit" className="button primary" data-testid="run-query" aria-busy={running} disabled={!ready} aria-describedby={`${id}-run-hint`}>
            {running ? 'Running…' : 'Run query'}
          </button>
          {hasResult ? (
            <a href="#neighbours-card" className="link small" onClick={focusResults} data-testid="to-neighbours">
              Go to the neighbours
            </a>
          ) : null}
          <ExplainButtons ready={ready} />
          <span className="hint inline" id={`${id}-run-hint`}>
            {ready ? 'or press Enter' : 'Build an index first'}
          </span>
        </div>
        <ErrorNote error={error} />
        <p className="hint">Click a point in the projection to search from that base vector.</p>
      </form>
    </section>
  );
}
