import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from '../../app/contract/client.js';
import { App } from './components/App.js';
import { StoreProvider } from './store/context.js';
import { connectEngineEvents, createAppStore } from './store/store.js';
import { selectTransport } from './transport/select.js';
import { selectFileResolver } from './transport/files.js';
import './styles.css';
import './explore.css';

const { kind, transport } = selectTransport();
const client = createClient(transport);
const RECENT_KEY = 'faiss-explorer.recent-files';
const recent = {
  load: (): string[] => {
    try {
      const list: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
      return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
    } catch {
      return [];
    }
  },
  save: (paths: string[]) => localStorage.setItem(RECENT_KEY, JSON.stringify(paths)),
};
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
