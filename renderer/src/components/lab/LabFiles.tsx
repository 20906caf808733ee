import { labCsv, labJson } from '../../../../app/eval/lab-results.js';
import { downloadText } from '../../download.js';
import { exportName } from '../../export-tables.js';
import { useApp } from '../../store/context.js';
import { FilePicker } from '../FilePicker.js';

/** Export the run on screen (CSV for spreadsheets, JSON to reload), or reload a JSON export. */
export function LabFiles() {
  const run = useApp((s) => s.labRun);
  const load = useApp((s) => s.loadLabRun);
  const history = useApp((s) => s.labHistory);
  const open = useApp((s) => s.openLabRun);
  const stem = run ? exportName(run.dataset.name, `lab-${run.created.slice(0, 19).replace(/:/g, '')}`) : '';
  return (
    <div className="actions wrap">
      <button type="button" className="button subtle small" disabled={!run} onClick={() => run && downloadText(`${stem}.csv`, labCsv(run), 'text/csv')} data-testid="lab-export-csv">
        Export CSV
      </button>
      <button type="button" className="button subtle small" disabled={!run} onClick={() => run && downloadText(`${stem}.json`, labJson(run), 'application/json')} data-testid="lab-export-json">
        Export JSON
      </button>
      <FilePicker label="Load a run…" accept=".json,application/json" small onFile={(file) => void file.text().then(load)} testId="lab-load" />
      {history.length > 1 ? (
        <label className="small">
          Kept runs{' '}
          <select value={run?.id ?? ''} onChange={(e) => open(e.target.value)} data-testid="lab-history">
            {history.map((r) => (
              <option key={r.id} value={r.id}>
                {r.dataset.name} · {r.indexes.length} indexes · {r.created.slice(0, 16).replace('T', ' ')}
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </div>
  );
}
