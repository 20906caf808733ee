import { memo, useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { toCsv, toJson, toTsv } from '../../../app/explore/table-export.js';
import { copyText, downloadText } from '../download.js';
import { exportName, FOUND_COLUMN, neighbourTable, provenance } from '../export-tables.js';
import { useShallow } from 'zustand/react/shallow';
import { imageSide } from '../../../app/explore/vector-image.js';
import { VectorThumb } from './VectorThumb.js';
import { formatDistance, formatMs, metricInfo, plural } from '../format.js';
import { useApp } from '../store/context.js';
import { resultDrift, type QueryResult } from '../store/query-slice.js';

/**
 * Moves the keyboard to the results: the neighbour row the table would give focus to, else the
 * neighbours card. A link's handler, so the page does not also jump by the link's fragment.
 */
export function focusResults(e?: { preventDefault(): void }): void {
  const target = document.querySelector<HTMLElement>('[data-testid="neighbour-table"] tbody tr[tabindex="0"]') ?? document.getElementById('neighbours-card');
  if (!target) return;
  e?.preventDefault();
  target.focus();
  target.scrollIntoView({ block: 'nearest' });
}

export function describeQuery(result: QueryResult): string {
  if (result.source === 'vector') return 'a pasted vector';
  return result.source === 'queryRows' ? `query-set row ${result.row}` : `base row ${result.row}`;
}

type Cell = string | number | null;
interface Column {
  name: string;
  numeric: boolean;
}

/** Display order of the rows (ranks) for a sort on column `by`. */
function sortOrder(rows: Cell[][], by: number | null, descending: boolean): number[] {
  const order = rows.map((_, i) => i);
  if (by === null) return order;
  const cmp = (a: Cell, b: Cell) => {
    if (a === null || a === '') return 1;
    if (b === null || b === '') return -1;
    return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), undefined, { numeric: true });
  };
  return order.sort((x, y) => (descending ? -1 : 1) * cmp(rows[x][by], rows[y][by]) || x - y);
}

/**
 * The neighbours with their measure, label and metadata, sortable by any column. Arrow keys move
 * between rows, Enter searches from one; the focused row is the one highlighted on the scatter.
 */
export function NeighbourTable() {
  const result = useApp((s) => s.result);
  const focusedRank = useApp((s) => s.focusedRank);
  const index = useApp((s) => (s.result ? s.indexes.find((i) => i.id === s.result!.index) : undefined));
  const extras = useApp((s) => (s.extras && s.extras.result === s.result ? s.extras : null));
  const dataset = useApp((s) => (s.result ? (s.datasets.find((d) => d.id === s.result!.dataset) ?? null) : null));
  const setFocusedRank = useApp((s) => s.setFocusedRank);
  const queryBasePoint = useApp((s) => s.queryBasePoint);
  const body = useRef<HTMLTableSectionElement>(null);
  const [sort, setSort] = useState<{ by: number | null; descending: boolean }>({ by: null, descending: false });
  const [copied, setCopied] = useState<string | null>(null);

  const metric = index?.metric ?? 'l2';
  const table = useMemo(() => (result ? neighbourTable(result, metric, extras?.facts ?? null, extras?.marks ?? null) : null), [result, metric, extras]);
  const order = useMemo(() => (table ? sortOrder(table.rows, sort.by, sort.descending) : []), [table, sort]);
  const columns: Column[] = useMemo(
    () => (table ? table.columns.map((name, c) => ({ name, numeric: table.rows.some((r) => typeof r[c] === 'number') })) : []),
    [table],
  );

  const dim = useApp((s) => s.datasets.find((d) => d.id === s.result?.dataset)?.dim ?? 0);
  // the neighbours' own vectors, when they are small images: one per rank, in the order rowInfo answered
  const thumbs = useMemo(() => {
    const vectors = extras?.facts?.vectors;
    const side = vectors && result ? imageSide(dim, vectors) : null;
    if (!side || !result) return null;
    const place = new Map<number, number>();
    let asked = 0; // rowInfo was asked for the valid ids in rank order, repeats included
    for (const id of result.ids) {
      if (id < 0) continue;
      if (!place.has(id)) place.set(id, asked);
      asked++;
    }
    const at = (rank: number) => {
      const i = place.get(result.ids[rank]);
      return i === undefined ? null : vectors!.subarray(i * dim, (i + 1) * dim);
    };
    return { side, at };
  }, [extras, result, dim]);

  const rows = order.length;
  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLTableRowElement>, position: number) => {
      const page = 10;
      const moves: Record<string, number> = { ArrowDown: position + 1, ArrowUp: position - 1, PageDown: position + page, PageUp: position - page, Home: 0, End: rows - 1 };
      if (e.key in moves) {
        e.preventDefault();
        const next = Math.max(0, Math.min(rows - 1, moves[e.key]));
        (body.current?.children[next] as HTMLTableRowElement | undefined)?.focus();
      } else if (e.key === 'Enter' && result) {
        const id = result.ids[order[position]];
        if (id >= 0) {
          e.preventDefault();
          void queryBasePoint(id);
        }
      }
    },
    [rows, result, order, queryBasePoint],
  );

  if (!result || !table) {
    return (
      <div className="empty" data-testid="neighbour-table">
        <p>Run a query to list its nearest neighbours.</p>
      </div>
    );
  }

  const measure = metricInfo(metric).measure;
  const heading = (name: string) => (name === 'similarity' ? 'cosine similarity' : name === 'cosine_distance' ? '1 − similarity' : name === 'squared_l2' || name === 'inner_product' ? measure : name === FOUND_COLUMN ? 'exact' : name);
  const current = focusedRank ?? order[0] ?? 0;
  const exactColumn = table.columns.indexOf(FOUND_COLUMN);
  const about = () => provenance(dataset, index ?? null, { query: { source: result.source, row: result.row, k: result.k, params: result.params }, took_ms: result.tookMs });
  const fileName = exportName(dataset?.name ?? result.dataset, 'neighbours');
  const flash = (text: string) => {
    setCopied(text);
    setTimeout(() => setCopied(null), 1500);
  };

  return (
    <div className="neighbour-pane">
      <div className="table-actions" role="group" aria-label="Copy or export the neighbours">
        <button type="button" className="button subtle small" data-testid="neighbours-copy" onClick={() => void copyText(toTsv(table)).then((ok) => flash(ok ? 'Copied' : 'Copy refused by the browser'))}>
          Copy
        </button>
        <button type="button" className="button subtle small" data-testid="neighbours-csv" onClick={() => downloadText(`${fileName}.csv`, toCsv(table), 'text/csv')}>
          CSV
        </button>
        <button type="button" className="button subtle small" data-testid="neighbours-json" onClick={() => downloadText(`${fileName}.json`, toJson(table, about()), 'application/json')}>
          JSON
        </button>
        {copied ? (
          <span className="muted small" role="status">
            {copied}
          </span>
        ) : null}
      </div>
      <div className="table-scroll">
        <table className="neighbours" data-testid="neighbour-table" aria-label={`Nearest neighbours of ${describeQuery(result)}`} aria-rowcount={rows + 1}>
          <caption className="visually-hidden">
            {plural(rows, 'nearest neighbour')} of {describeQuery(result)}, found in {formatMs(result.tookMs)}. Column headers sort. Use the arrow keys to move between rows and Enter to search from a neighbour.
          </caption>
          <thead>
            <tr>
              {thumbs ? <th scope="col">image</th> : null}
              {columns.map((c, i) => (
                <th key={c.name} scope="col" className={c.numeric && i > 1 ? 'num' : undefined} aria-sort={sort.by === i ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                  <button
                    type="button"
                    className="sort"
                    data-testid={`sort-${c.name}`}
                    onClick={() => setSort((s) => (s.by === i ? { by: i, descending: !s.descending } : { by: i, descending: false }))}
                  >
                    {heading(c.name)}
                    <span aria-hidden="true">{sort.by === i ? (sort.descending ? ' ▾' : ' ▴') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody ref={body}>
            {order.map((rank, position) => (
              <NeighbourRow
                key={rank}
                rank={rank}
                position={position}
                cells={table.rows[rank]}
                numeric={columns.map((c) => c.numeric)}
                wrong={exactColumn >= 0 && table.rows[rank][exactColumn] === 'no'}
                tabbable={rank === current}
                focused={rank === focusedRank}
                onFocusRank={setFocusedRank}
                onKeyDown={onKeyDown}
                onSearch={queryBasePoint}
                thumb={thumbs ? { side: thumbs.side, vector: thumbs.at(rank) } : null}
              />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

// memoised: moving the focus re-renders two rows, not all k (up to 1000)
const NeighbourRow = memo(function NeighbourRow(props: {
  rank: number;
  position: number;
  cells: Cell[];
  numeric: boolean[];
  wrong: boolean;
  tabbable: boolean;
  focused: boolean;
  onFocusRank: (rank: number) => void;
  onKeyDown: (e: KeyboardEvent<HTMLTableRowElement>, position: number) => void;
  onSearch: (id: number) => Promise<void>;
  thumb: { side: number; vector: Float32Array | null } | null;
}) {
  const { rank, position, cells, numeric, wrong, tabbable, focused, onFocusRank, onKeyDown, onSearch, thumb } = props;
  const id = cells[1] as number | null;
  return (
    <tr
      tabIndex={tabbable ? 0 : -1}
      aria-selected={focused}
      aria-label={`Rank ${rank + 1}, id ${id ?? 'none'}, ${formatDistance(cells[2] as number)}${wrong ? ', farther than the exact k-th neighbour' : ''}`}
      className={[focused ? 'focused' : '', wrong ? 'wrong' : ''].join(' ').trim() || undefined}
      onFocus={() => onFocusRank(rank)}
      onKeyDown={(e) => onKeyDown(e, position)}
      onDoubleClick={() => id !== null && void onSearch(id)}
    >
      {thumb ? <td className="thumb-cell">{thumb.vector ? <VectorThumb vector={thumb.vector} side={thumb.side} label={`id ${id} as a ${thumb.side}×${thumb.side} image`} /> : null}</td> : null}
      {cells.map((v, c) => (
        <td key={c} className={c === 1 ? 'mono' : numeric[c] && c > 1 ? 'num mono' : undefined}>
          {v === null ? '—' : typeof v === 'number' && c > 1 ? formatDistance(v) : v === 'no' ? '✗' : v === 'yes' ? '✓' : String(v)}
        </td>
      ))}
    </tr>
  );
});

/** One line about the answer on screen: what was asked of which index, how long it took, what was ignored, and what has changed since. */
export function ResultSummary() {
  const result = useApp((s) => s.result);
  const index = useApp((s) => (s.result ? s.indexes.find((i) => i.id === s.result!.index) : undefined));
  const marks = useApp((s) => (s.extras && s.extras.result === s.result ? s.extras.marks : null));
  const drift = useApp(useShallow(resultDrift));
  const queryRunning = useApp((s) => s.queryRunning);
  if (!result) return null;
  const recall = marks && !Number.isNaN(marks.recall) ? marks.recall : null;
  const params = Object.entries(result.params).map(([name, value]) => `${name} ${value}`);
  return (
    <div className="result-summary-block">
      <p className="result-summary" aria-live="polite" data-testid="result-summary">
        <span>
          {plural(result.ids.length, 'neighbour')} of <strong>{describeQuery(result)}</strong>
        </span>
        <span>k = {result.k}</span>
        <span className="mono" data-testid="result-index">
          {index ? `${index.factory} · ${index.id}` : result.index}
          {params.length ? ` · ${params.join(', ')}` : ''}
        </span>
        <span>{formatMs(result.tookMs)}</span>
        {recall !== null ? <span data-testid="query-recall">recall@{result.k} vs exact: {(recall * 100).toFixed(0)}%</span> : null}
        {result.ignoredParams.length ? <span className="warn">ignored: {result.ignoredParams.join(', ')}</span> : null}
      </p>
      {drift.length ? (
        <p className="stale-note" role="status" data-testid="result-stale">
          Out of date: {drift.join('; ')}. {queryRunning ? 'Updating…' : 'Run the query to update.'}
        </p>
      ) : null}
    </div>
  );
}
