import { useRef } from 'react';
import { labCsv, labJson } from '../../../../app/eval/lab-results.js';
import { downloadText } from '../../download.js';
import { useApp } from '../../store/context.js';

/** Export the run on screen (CSV for spreadsheets, JSON to reload), or reload a JSON export. */
export function LabFiles() {
  const run = useApp((s) => s.labRun);
  const load = useApp((s) => s.loadLabRun);
  const input = useRef<HTMLInputElement>(null);
  const stem = run ? `lab-${run.dataset.name.replace(/[^A-Za-z0-9]+/g, '-')}-${run.created.slice(0, 19).replace(/:/g, '')}` : '';
  return (
    <div className="actions wrap">
      <button type="button" className="button subtle small" disabled={!run} onClick={() => run && downloadText(`${stem}.csv`, labCsv(run), 'text/csv')} data-testid="lab-export-csv">
        Export CSV
      </button>
      <button type="button" className="button subtle small" disabled={!run} onClick={() => run && downloadText(`${stem}.json`, labJson(run), 'application/json')} data-testid="lab-export-json">
        Export JSON
      </button>
      <button type="button" className="button subtle small" onClick={() => input.current?.click()}>
        Load a run…
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="lab-load"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void file.text().then(load);
          e.target.value = '';
        }}
      />
    </div>
  );
}
