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
const deps = { client, files: selectFileResolver(), recent };
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
