import type { TransportKind } from '../transport/select.js';
import { DatasetPanel } from './DatasetPanel.js';
import { DistanceChart } from './DistanceChart.js';
import { Header } from './Header.js';
import { IndexPanel } from './IndexPanel.js';
import { NeighbourTable, ResultSummary } from './NeighbourTable.js';
import { ProjectionPanel } from './ProjectionPanel.js';
import { QueryPanel } from './QueryPanel.js';

export function App({ mode }: { mode: TransportKind }) {
  return (
    <div className="app">
      <Header mode={mode} />
      <aside className="sidebar" aria-label="Dataset, index and query">
        <DatasetPanel />
        <IndexPanel />
        <QueryPanel />
      </aside>
      <main className="results">
        <ProjectionPanel />
        <section className="card neighbours-card" aria-labelledby="neighbours-title">
          <div className="card-head">
            <h2 id="neighbours-title">Neighbours</h2>
            <ResultSummary />
          </div>
          <div className="neighbours-body">
            <NeighbourTable />
            <DistanceChart />
          </div>
        </section>
      </main>
    </div>
  );
}
