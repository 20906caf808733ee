import { useId, useState } from 'react';
import { toCsv, toJson } from '../../../app/explore/table-export.js';
import { downloadText } from '../download.js';
import { batchTable, exportName, provenance } from '../export-tables.js';
import { formatCount, formatDistance, plural } from '../format.js';
import { useApp } from '../store/context.js';
import { selectDataset } from '../store/dataset-slice.js';
import { selectActiveIndex } from '../store/index-slice.js';
import { FilePicker } from './FilePicker.js';
import { ErrorNote } from './ErrorNote.js';

const BATCH_ROWS_SHOWN = 50;

/** Queries beyond a row number: a pasted vector, a search by label text, a file of many queries. */
export function MoreQueries() {
  const id = useId();
  const dataset = useApp(selectDataset);
  const index = useApp(selectActiveIndex);
  const vectorText = useApp((s) => s.vectorText);
  const vectorError = useApp((s) => s.vectorError);
  const found = useApp((s) => s.found);
  const findError = useApp((s) => s.findError);
  const batch = useApp((s) => s.batch);
  const batchIndex = useApp((s) => (s.batch ? s.indexes.find((i) => i.id === s.batch!.index) : undefined));
  const batchRunning = useApp((s) => s.batchRunning);
  const batchError = useApp((s) => s.batchError);
  const k = useApp((s) => s.k);
  const setVectorText = useApp((s) => s.setVectorText);
  const runVectorQuery = useApp((s) => s.runVectorQuery);
  const findRows = useApp((s) => s.findRows);
  const queryBasePoint = useApp((s) => s.queryBasePoint);
  const runBatchText = useApp((s) => s.runBatchText);
  const [search, setSearch] = useState('');
  const ready = !!index && index.status === 'ready' && index.dataset === dataset?.id;

  const exportBatch = (format: 'csv' | 'json') => {
    if (!batch) return;
    const table = batchTable(batch);
    const name = exportName(dataset?.name ?? batch.dataset, 'batch-results');
    if (format === 'csv') downloadText(`${name}.csv`, toCsv(table), 'text/csv');
    else downloadText(`${name}.json`, toJson(table, provenance(dataset, batchIndex ?? null, { batch: batch.name, queries: batch.answer.n, k: batch.answer.k })), 'application/json');
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>More ways to query</h2>
      <div className="stack">
        <form
          className="stack"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void runVectorQuery();
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-vector`}>Paste a vector{dataset ? ` (${dataset.dim} numbers)` : ''}</label>
            <textarea
              id={`${id}-vector`}
              rows={2}
              placeholder="[0.1, 0.2, …] or 0.1, 0.2, …"
              value={vectorText}
              onChange={(e) => setVectorText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  void runVectorQuery();
                }
              }}
              data-testid="vector-input"
            />
          </div>
          <div className="actions">
            <button type="submit" className="button subtle small" disabled={!ready} data-testid="vector-run">
              Search with this vector
            </button>
            <span className="hint inline">Ctrl+Enter</span>
          </div>
          <ErrorNote error={vectorError} />
        </form>

        <form
          className="stack"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            void findRows(search);
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-find`}>Find by label, metadata or row</label>
            <input id={`${id}-find`} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. 3, cat, or a row number" data-testid="label-search" />
          </div>
          <ErrorNote error={findError} />
          {found ? (
            <div className="found" data-testid="label-results">
              <p className="hint">
                {found.total === 0 ? 'Nothing matches.' : `${formatCount(found.total)} match${found.total === 1 ? '' : 'es'}${found.total > found.rows.length ? `, first ${found.rows.length} shown` : ''} · click to search from one`}
              </p>
              <ul>
                {found.rows.map((row, i) => (
                  <li key={`${row}-${i}`}>
                    <button type="button" className="link" disabled={!ready} onClick={() => void queryBasePoint(row)}>
                      <span className="mono">row {row}</span> <span className="muted">{found.matches[i]}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </form>

        <div className="stack">
          <div className="field">
            <label htmlFor={`${id}-batch`}>Batch of queries from a file</label>
            <div className="actions">
              <FilePicker id={`${id}-batch`} label="Choose a batch file…" accept=".json,.csv,.tsv,.txt" disabled={!ready || batchRunning} onFile={(file) => void file.text().then((text) => runBatchText(file.name, text))} testId="batch-file" />
            </div>
            <p className="hint">One vector per line (comma or space separated) or a JSON array of arrays; k = {k}.</p>
          </div>
          <ErrorNote error={batchError} />
          {batch ? (
            <div className="batch" data-testid="batch-results">
              <div className="actions spread">
                <span className="small" data-testid="batch-about">
                  <strong>{plural(batch.answer.n, 'query', 'queries')}</strong> from {batch.name} · {batchIndex ? `${batchIndex.factory} · ${batchIndex.id}` : batch.index} · k = {batch.answer.k}
                  {batch.index !== index?.id ? <span className="warn"> · answered by another index than the active one</span> : null}
                </span>
                <span className="actions">
                  <button type="button" className="button subtle small" onClick={() => exportBatch('csv')} data-testid="batch-csv">
                    CSV
                  </button>
                  <button type="button" className="button subtle small" onClick={() => exportBatch('json')} data-testid="batch-json">
                    JSON
                  </button>
                </span>
              </div>
              <div className="table-scroll batch-scroll">
                <table className="neighbours" data-testid="batch-table">
                  <thead>
                    <tr>
                      <th scope="col">Query</th>
                      <th scope="col">Nearest ids</th>
                      <th scope="col" className="num">
                        1st
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {Array.from({ length: Math.min(batch.answer.n, BATCH_ROWS_SHOWN) }, (_, q) => {
                      const kk = batch.answer.k;
                      const ids = Array.from(batch.answer.labels.subarray(q * kk, q * kk + Math.min(kk, 5))).filter((v) => v >= 0);
                      return (
                        <tr key={q}>
                          <td>{batch.describe[q]}</td>
                          <td className="mono">
                            {ids.join(', ')}
                            {kk > 5 ? ', …' : ''}
                          </td>
                          <td className="num mono">{formatDistance(batch.answer.distances[q * kk])}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              {batch.answer.n > BATCH_ROWS_SHOWN ? <p className="hint">First {BATCH_ROWS_SHOWN} shown; the export has all.</p> : null}
            </div>
          ) : null}
        </div>
      </div>
    </section>
  );
}
