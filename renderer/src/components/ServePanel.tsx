import { useEffect, useId, useMemo, useState } from 'react';
import { curlSnippet, pythonSnippet } from '../../../app/serve/snippets.js';
import { useApp } from '../store/context.js';
import { selectActiveIndex } from '../store/index-slice.js';
import { ErrorNote } from './ErrorNote.js';

/** The Serve switch, and how a script reaches the active index. */
export function ServePanel() {
  const id = useId();
  const serve = useApp((s) => s.serve);
  const busy = useApp((s) => s.serveBusy);
  const error = useApp((s) => s.serveError);
  const refresh = useApp((s) => s.refreshServe);
  const setServing = useApp((s) => s.setServing);
  const index = useApp(selectActiveIndex);
  const k = useApp((s) => s.k);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const target = useMemo(
    () => (serve?.running && serve.url && index ? { url: serve.url, index: index.id, dim: index.dim, k: k > 0 ? k : 10, token: serve.token } : null),
    [serve, index, k],
  );

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="serve-panel">
      <h2 id={`${id}-title`}>Serve</h2>
      <div className="actions spread">
        <button
          type="button"
          role="switch"
          aria-checked={serve?.running ?? false}
          className={`switch${serve?.running ? ' on' : ''}`}
          disabled={busy || !serve?.canToggle}
          onClick={() => void setServing(!serve?.running)}
          data-testid="serve-switch"
        >
          <span className="switch-knob" aria-hidden="true" />
          <span>{serve?.running ? 'Serving' : 'Not serving'}</span>
        </button>
        {serve?.url ? <code data-testid="serve-url">{serve.url}</code> : null}
      </div>
      <p className="hint">
        {serve?.canToggle === false && serve.running
          ? 'This page is served by the engine itself: scripts can use the same address.'
          : 'Lets scripts and notebooks on this machine query your indexes over HTTP (loopback only).'}
      </p>
      {target ? (
        <>
          <Snippet title="Python (standard library)" text={pythonSnippet(target)} testId="serve-python" />
          <Snippet title="curl" text={curlSnippet(target)} testId="serve-curl" />
        </>
      ) : serve?.running ? (
        <p className="hint">Build or pick an index to get a snippet for it.</p>
      ) : null}
      <ErrorNote error={error} />
    </section>
  );
}

function Snippet({ title, text, testId }: { title: string; text: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="snippet">
      <div className="snippet-head">
        <span>{title}</span>
        <button
          type="button"
          className="button subtle small"
          onClick={() =>
            void navigator.clipboard.writeText(text).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre data-testid={testId}>{text}</pre>
    </div>
  );
}
