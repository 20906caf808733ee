import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from '../../app/contract/client.js';
import { App } from './components/App.js';
import { StoreProvider } from './store/context.js';
import { connectEngineEvents, createAppStore } from './store/store.js';
import { selectTransport } from './transport/select.js';
import { selectFileResolver } from './transport/files.js';
import { localSavedList } from './saved-list.js';
import type { RecentFile } from './store/types.js';
import type { LabRun } from '../../app/contract/lab.js';
import { parseLabJson } from '../../app/eval/lab-results.js';
import './styles.css';
import './explore.css';

const { kind, transport } = selectTransport();
const client = createClient(transport);
const recent = localSavedList<RecentFile>(localStorage, 'faiss-explorer.recent-files', (item) => {
  // the list once held bare paths
  if (typeof item === 'string') return { path: item, name: item.split('/').pop() ?? item };
  const r = item as Partial<RecentFile> | null;
  return typeof r?.path === 'string' && typeof r.name === 'string' ? { path: r.path, name: r.name } : null;
});
const labRuns = localSavedList<LabRun>(localStorage, 'faiss-explorer.lab-runs', (item) => {
  try {
    return parseLabJson(JSON.stringify(item)); // checked against the contract, as a loaded file is
  } catch {
    return null;
  }
});
const deps = { client, files: selectFileResolver(), recent, labRuns };
const store = createAppStore(deps);
connectEngineEvents(store, deps);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App mode={kind} />
    </StoreProvider>
  </StrictMode>,
);

void store.getState().loadDatasets();
