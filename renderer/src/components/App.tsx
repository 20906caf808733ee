import type { TransportKind } from '../transport/select.js';
import { DatasetPanel } from './DatasetPanel.js';
import { DiagnosticsCard } from './DiagnosticsCard.js';
import { DistanceHistogram } from './DistanceHistogram.js';
import { MoreQueries } from './MoreQueries.js';
import { ResultExtras } from './ResultExtras.js';
import { UmapPanel } from './UmapPanel.js';
import { DistanceChart } from './DistanceChart.js';
import { Header } from './Header.js';
import { IndexPanel } from './IndexPanel.js';
import { focusResults, NeighbourTable, ResultSummary } from './NeighbourTable.js';
import { ProjectionPanel } from './ProjectionPanel.js';
import { ExplainPanel } from './explain/ExplainPanel.js';
import { QueryPanel } from './QueryPanel.js';
import { ServePanel } from './ServePanel.js';
import { LabView } from './lab/LabView.js';
import { ViewTabs } from './ViewTabs.js';
import { useApp } from '../store/context.js';

export function App({ mode }: { mode: TransportKind }) {
  // the explore views stay mounted while the lab shows, so coming back costs no redraw
  const view = useApp((s) => s.activeView);
  return (
    <div className="app">
      <a className="skip-link" href="#neighbours-card" onClick={focusResults} data-testid="skip-to-results">
        Skip to results
      </a>
      <Header mode={mode} />
      <ViewTabs />
      {view === 'lab' ? <LabView /> : null}
      <aside className="sidebar" aria-label="Dataset, index and query" hidden={view !== 'explore'}>
        <DatasetPanel />
        <IndexPanel />
        <QueryPanel />
        <MoreQueries />
        <UmapPanel />
        <ServePanel />
      </aside>
      <main className="results" id="view-explore" role="tabpanel" aria-labelledby="tab-explore" hidden={view !== 'explore'}>
        <div className="map-row">
          <ProjectionPanel />
          <ExplainPanel />
        </div>
        <section className="card neighbours-card" id="neighbours-card" tabIndex={-1} aria-labelledby="neighbours-title">
          <div className="card-head">
            <h2 id="neighbours-title">Neighbours</h2>
            <ResultSummary />
          </div>
          <div className="neighbours-body">
            <NeighbourTable />
            <div className="neighbour-charts">
              <DistanceChart />
              <DistanceHistogram />
            </div>
          </div>
        </section>
        <DiagnosticsCard />
        <ResultExtras />
      </main>
    </div>
  );
}
