import { app, BrowserWindow, session } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_DATASETS, EngineHost } from '../engine/engine-host.js';
import { forwardEvents, wireIpc } from './ipc.js';
import { utilityWorker } from './utility-worker.js';
import { APP_VERSION } from '../version.js';
import { API_PORT, startHttpServer } from '../server/http-server.js';
import { switchable } from '../server/serve-controls.js';

// tests and portable installs point the app at their own folder
if (process.env.FAISS_EXPLORER_USER_DATA) app.setPath('userData', process.env.FAISS_EXPLORER_USER_DATA);

const rendererIndex = path.join(__dirname, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;
let window: BrowserWindow | null = null;

const engine = new EngineHost({
  spawnWorker: utilityWorker(path.join(__dirname, 'worker.cjs')),
  dataDir: path.join(app.getPath('userData'), 'data'),
  version: APP_VERSION,
  defaults: DEFAULT_DATASETS,
});

function createWindow(): void {
  window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Faiss Explorer',
    show: false,
    webPreferences: {
      // electronegativity: PRELOAD_JS_CHECK reviewed: the sandboxed preload exposes one method per contract operation, nothing else
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // middle-click must not open links in new windows
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window?.show());
  window.on('closed', () => (window = null));
  void window.loadFile(rendererIndex);
}

app.on('web-contents-created', (_e, contents) => {
  // the app is one local page: it never navigates, opens windows or attaches webviews
  contents.on('will-navigate', (event, url) => {
    if (url !== rendererUrl) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('child-process-gone', (_e, details) => {
  if (details.type === 'Utility') console.error(`[main] utility process gone: ${details.reason} (${details.exitCode})`);
});

// the Serve switch: the same engine, for scripts, on loopback
engine.setServeControl(
  switchable(() => startHttpServer({ engine, host: '127.0.0.1', port: API_PORT }).catch(() => startHttpServer({ engine, host: '127.0.0.1', port: 0 })), false),
);

app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  wireIpc(engine, (event) => event.senderFrame?.url === rendererUrl);
  forwardEvents(engine, () => window?.webContents ?? null);
  createWindow();
  await engine.start();
});

app.on('window-all-closed', () => {
  void engine.stop().then(() => app.quit());
});
