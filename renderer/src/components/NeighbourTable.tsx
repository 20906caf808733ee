import { memo, useCallback, useRef, type KeyboardEvent } from 'react';
import { formatDistance, formatMs, metricInfo } from '../format.js';
import { useApp } from '../store/context.js';
import type { QueryResult } from '../store/query-slice.js';

export function describeQuery(result: QueryResult): string {
  return result.source === 'queryRows' ? `query-set row ${result.row}` : `base row ${result.row}`;
}

/** Rank, id and distance of each neighbour. Arrow keys move between rows; Enter searches from one. */
export function NeighbourTable() {
  const result = useApp((s) => s.result);
  const focusedRank = useApp((s) => s.focusedRank);
  const metric = useApp((s) => (s.result ? s.indexes.find((i) => i.id === s.result!.index)?.metric : undefined));
  const setFocusedRank = useApp((s) => s.setFocusedRank);
  const queryBasePoint = useApp((s) => s.queryBasePoint);
  const body = useRef<HTMLTableSectionElement>(null);

  const rows = result?.ids.length ?? 0;
  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLTableRowElement>, rank: number) => {
      const page = 10;
      const moves: Record<string, number> = { ArrowDown: rank + 1, ArrowUp: rank - 1, PageDown: rank + page, PageUp: rank - page, Home: 0, End: rows - 1 };
      if (e.key in moves) {
        e.preventDefault();
        const next = Math.max(0, Math.min(rows - 1, moves[e.key]));
        (body.current?.children[next] as HTMLTableRowElement | undefined)?.focus();
      } else if (e.key === 'Enter' && result) {
        const id = result.ids[rank];
        if (id >= 0) {
          e.preventDefault();
          void queryBasePoint(id);
        }
      }
    },
    [rows, result, queryBasePoint],
  );

  if (!result) {
    return (
      <div className="empty" data-testid="neighbour-table">
        <p>Run a query to list its nearest neighbours.</p>
      </div>
    );
  }

  const measure = metric ? metricInfo(metric).measure : 'distance';
  const current = focusedRank ?? 0;

  return (
    <div className="table-scroll">
      <table className="neighbours" data-testid="neighbour-table" aria-label={`Nearest neighbours of ${describeQuery(result)}`} aria-rowcount={rows + 1}>
        <caption className="visually-hidden">
          {rows} nearest neighbours of {describeQuery(result)}, found in {formatMs(result.tookMs)}. Use the arrow keys to move between rows and Enter to search from a neighbour.
        </caption>
        <thead>
          <tr>
            <th scope="col">Rank</th>
            <th scope="col">Id</th>
            <th scope="col" className="num">
              {measure}
            </th>
          </tr>
        </thead>
        <tbody ref={body}>
          {Array.from(result.ids, (id, rank) => (
            <NeighbourRow
              key={rank}
              rank={rank}
              id={id}
              distance={result.distances[rank]}
              measure={measure}
              tabbable={rank === current}
              focused={rank === focusedRank}
              onFocusRank={setFocusedRank}
              onKeyDown={onKeyDown}
              onSearch={queryBasePoint}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

// memoised: moving the focus re-renders two rows, not all k (up to 1000)
const NeighbourRow = memo(function NeighbourRow(props: {
  rank: number;
  id: number;
  distance: number;
  measure: string;
  tabbable: boolean;
  focused: boolean;
  onFocusRank: (rank: number) => void;
  onKeyDown: (e: KeyboardEvent<HTMLTableRowElement>, rank: number) => void;
  onSearch: (id: number) => Promise<void>;
}) {
  const { rank, id, distance, measure, tabbable, focused, onFocusRank, onKeyDown, onSearch } = props;
  const shown = formatDistance(distance);
  return (
    <tr
      tabIndex={tabbable ? 0 : -1}
      aria-selected={focused}
      aria-label={`Rank ${rank + 1}, id ${id < 0 ? 'none' : id}, ${measure} ${shown}`}
      className={focused ? 'focused' : undefined}
      onFocus={() => onFocusRank(rank)}
      onKeyDown={(e) => onKeyDown(e, rank)}
      onDoubleClick={() => id >= 0 && void onSearch(id)}
    >
      <td>{rank + 1}</td>
      <td className="mono">{id < 0 ? '—' : id}</td>
      <td className="num mono">{shown}</td>
    </tr>
  );
});

/** One line about the answer on screen: what was asked, how long it took, what was ignored. */
export function ResultSummary() {
  const result = useApp((s) => s.result);
  const index = useApp((s) => (s.result ? s.indexes.find((i) => i.id === s.result!.index) : undefined));
  if (!result) return null;
  return (
    <p className="result-summary" aria-live="polite">
      <span>
        {result.ids.length} neighbours of <strong>{describeQuery(result)}</strong>
      </span>
      <span>{formatMs(result.tookMs)}</span>
      {index ? <span className="mono">{index.factory}</span> : null}
      {result.ignoredParams.length ? <span className="warn">ignored: {result.ignoredParams.join(', ')}</span> : null}
    </p>
  );
}
