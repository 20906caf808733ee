import { useId, useState, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../store/context.js';
import { FilePicker } from './FilePicker.js';
import { JobProgress } from './JobProgress.js';

const ACCEPT = '.npy,.npz,.fvecs,.ivecs,.bvecs,.csv,.tsv,.jsonl,.json,.parquet,.hdf5,.h5';

/** Opening one's own vectors: pick, drop, type a path, or reopen a recent file. */
export function OpenFile() {
  const id = useId();
  const [path, setPath] = useState('');
  const [metadata, setMetadata] = useState('');
  const [dragging, setDragging] = useState(false);
  const opening = useApp((s) => s.opening);
  const notice = useApp((s) => s.openNotice);
  const recent = useApp((s) => s.recentFiles);
  const actions = useApp(useShallow((s) => ({ openPath: s.openPath, openFile: s.openFile, cancelOpen: s.cancelOpen })));

  const drop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void actions.openFile(file);
  };

  return (
    <div
      className={`open-file${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
      data-testid="open-file"
    >
      <div className="actions">
        <FilePicker label="Choose file…" accept={ACCEPT} disabled={opening !== null} onFile={(file) => void actions.openFile(file)} testId="file-input" />
        <span className="hint">or drop one here</span>
      </div>
      <form
        className="path-row"
        onSubmit={(e) => {
          e.preventDefault();
          void actions.openPath(path, undefined, metadata);
        }}
      >
        <PathInput id={`${id}-path`} label="Path of a file on the engine's machine" placeholder="/path/to/vectors.npy" value={path} onChange={setPath} testId="path-input" />
        <button type="submit" className="button subtle" aria-disabled={opening !== null} data-testid="open-path">
          Open
        </button>
        <PathInput
          id={`${id}-metadata`}
          label="Path of its metadata file (optional)"
          placeholder="metadata .tsv/.csv (optional; found beside by name)"
          value={metadata}
          onChange={setMetadata}
          testId="metadata-path-input"
          className="metadata-path"
        />
      </form>
      {opening ? <JobProgress job={opening} label="Opening the file" testId="open-progress" onCancel={() => void actions.cancelOpen()} /> : null}
      {notice && !opening ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {recent.length > 0 ? (
        <details className="recent">
          <summary>Recent files</summary>
          <ul>
            {recent.map((r) => (
              <li key={r.path}>
                <button type="button" className="button link" title={r.path} onClick={() => void actions.openPath(r.path, r.name)} disabled={opening !== null}>
                  {r.name}
                </button>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

/** A path typed by hand, its label for screen readers only (the placeholder shows what goes in). */
function PathInput(props: { id: string; label: string; placeholder: string; value: string; onChange: (v: string) => void; testId: string; className?: string }) {
  return (
    <>
      <label htmlFor={props.id} className="visually-hidden">
        {props.label}
      </label>
      <input
        id={props.id}
        type="text"
        className={props.className}
        placeholder={props.placeholder}
        spellCheck={false}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
      />
    </>
  );
}
