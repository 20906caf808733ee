import { useMemo } from 'react';
import type { LabRun } from '../../../../app/contract/lab.js';
import { labRows, qpsRange, type LabRow } from '../../../../app/eval/lab-results.js';
import { formatBytes } from '../../format.js';
import { useApp } from '../../store/context.js';

const r3 = (v: number | null) => (v === null ? '–' : v.toFixed(3));
const qps = (v: number | null) => (v === null ? '–' : Math.round(v).toLocaleString('en-US'));
/** milliseconds as a bare number: the unit is in the column head, so cells stay narrow */
const ms = (v: number | null) => (v === null ? '–' : v.toFixed(v < 1 ? 3 : v < 10 ? 2 : 1));

/** Every measured point; a row's button opens that index at that setting in the explore view. */
export function LabTable({ run }: { run: LabRun }) {
  const rows = useMemo(() => labRows(run), [run]);
  const explore = useApp((s) => s.exploreLabPoint);
  const failed = run.indexes.filter((ix) => ix.error);
  // with k = 10, 10@10 is recall@k again
  const tenAtTen = run.k !== 10;
  return (
    <section className="card lab-table-card" aria-labelledby="lab-table-title">
      <div className="card-head">
        <h2 id="lab-table-title">Every point</h2>
        <p className="result-summary">★ on its index&apos;s Pareto frontier · medians of {run.repeats} repeats</p>
      </div>
      {failed.map((ix) => (
        <p key={ix.label} className="hint warn">
          {ix.label} failed: {ix.error!.message} ({ix.error!.code})
        </p>
      ))}
      <div className="table-scroll">
        <table className="neighbours lab-table" data-testid="lab-table">
          <thead>
            <tr>
              <th scope="col">Index · setting</th>
              <th scope="col" className="num">recall@{run.k}</th>
              <th scope="col" className="num">R@1</th>
              {tenAtTen ? <th scope="col" className="num">10@10</th> : null}
              <th scope="col" className="num" title="queries per second, all queries in one batch; ± half the range of the repeats">QPS</th>
              <th scope="col" className="num" title="queries per second, one query at a time">QPS 1×1</th>
              <th scope="col" className="num" title="latency of a single query: median and 99th percentile">ms median · p99</th>
              <th scope="col" className="num" title="build time (train + add) and index size">build s · size</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.position}-${r.value}`} data-testid="lab-row">
                <th scope="row">
                  <button type="button" className="link-button" onClick={() => void explore(r.position, r.value)} title="Explore this index at this setting">
                    {r.pareto ? '★ ' : ''}
                    {r.label}
                  </button>
                  {r.param ? <span className="setting">{`${r.param}=${r.value}`}</span> : null}
                </th>
                <td className="num">{r3(r.recall)}</td>
                <td className="num">{r3(r.recall_1)}</td>
                {tenAtTen ? <td className="num">{r3(r.recall_10_at_10)}</td> : null}
                <td className="num">
                  {qps(r.qps_batch)}
                  <Spread row={r} queries={run.queries} />
                </td>
                <td className="num">{qps(r.qps_single)}</td>
                <td className="num">
                  {ms(r.latency_median_ms ?? r.latency_mean_ms)} · {ms(r.latency_p99_ms)}
                </td>
                <td className="num">
                  {((r.train_ms + r.add_ms) / 1000).toFixed(2)} · {formatBytes(r.size_bytes)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** How far the repeats spread around the QPS shown: differences within it are noise. */
function Spread({ row, queries }: { row: LabRow; queries: number }) {
  const range = qpsRange(row, queries);
  if (!range) return null;
  const half = Math.round(((range[1] - range[0]) / 2 / row.qps_batch) * 100);
  return <span className="spread" title={`repeats from ${qps(range[0])} to ${qps(range[1])} QPS`} data-testid="qps-spread">{` ±${half}%`}</span>;
}
