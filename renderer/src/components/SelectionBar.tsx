import { downloadText } from '../download.js';
import { formatCount } from '../format.js';
import { useApp } from '../store/context.js';
import { ErrorNote } from './ErrorNote.js';

const MAX_SEARCH_ROWS = 10_000;

/** What to do with points picked on the scatter: search from them, export them, or let them go. */
export function SelectionBar() {
  const selection = useApp((s) => (s.selection && s.selection.dataset === s.datasetId ? s.selection : null));
  const error = useApp((s) => s.selectionError);
  const setSelection = useApp((s) => s.setSelection);
  const runBatchRows = useApp((s) => s.runBatchRows);
  const exportSelection = useApp((s) => s.exportSelection);
  if (!selection) return null;
  const save = async (format: 'csv' | 'json') => {
    const file = await exportSelection(format);
    if (file) downloadText(file.name, file.text, file.type);
  };
  const tooMany = selection.rows.length > MAX_SEARCH_ROWS;

  return (
    <div className="selection-bar" data-testid="selection-bar" role="region" aria-label="Selected points">
      <span>
        <strong data-testid="selection-count">{formatCount(selection.rows.length)}</strong> points selected
      </span>
      <button
        type="button"
        className="button subtle small"
        disabled={tooMany}
        title={tooMany ? `Select at most ${formatCount(MAX_SEARCH_ROWS)} points to search from them` : 'Search the index from every selected point'}
        onClick={() => void runBatchRows('selection', selection.rows)}
        data-testid="selection-search"
      >
        Search from them
      </button>
      <button type="button" className="button subtle small" onClick={() => void save('csv')} data-testid="selection-export-csv">
        Export CSV
      </button>
      <button type="button" className="button subtle small" onClick={() => void save('json')} data-testid="selection-export-json">
        Export JSON
      </button>
      <button type="button" className="button subtle small" onClick={() => setSelection(null)} data-testid="selection-clear">
        Clear
      </button>
      <ErrorNote error={error} />
    </div>
  );
}
