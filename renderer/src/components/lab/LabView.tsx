import { LabCostCharts, LabRecallChart } from './LabCharts.js';
import { LabInternals } from './LabInternals.js';
import { LabSetup } from './LabSetup.js';
import { LabTable } from './LabTable.js';
import { useApp } from '../../store/context.js';

/** The index lab: configurations on the left, the run's charts, table and index internals on the right. */
export function LabView() {
  const run = useApp((s) => s.labRun);
  return (
    <div className="lab" id="view-lab" role="tabpanel" aria-labelledby="tab-lab">
      <aside className="sidebar" aria-label="Lab set-up">
        <LabSetup />
      </aside>
      <main className="lab-results">
        {run ? (
          <>
            <LabRecallChart run={run} />
            <LabTable run={run} />
            <LabCostCharts run={run} />
            <LabInternals run={run} />
          </>
        ) : (
          <section className="card lab-empty">
            <h2>Index lab</h2>
            <p>
              Pick a preset or add indexes on the left, then run the lab: each index is built on the current dataset, its search parameter is swept, and
              every setting is measured for recall against exact search, queries per second, latency, build time and size.
            </p>
          </section>
        )}
      </main>
    </div>
  );
}
