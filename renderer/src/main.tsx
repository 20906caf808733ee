import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from '../../app/contract/client.js';
import { App } from './components/App.js';
import { StoreProvider } from './store/context.js';
import { connectEngineEvents, createAppStore } from './store/store.js';
import { selectTransport } from './transport/select.js';
import './styles.css';
import './explore.css';

const { kind, transport } = selectTransport();
const client = createClient(transport);
const deps = { client };
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
