import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { LAB_LIMITS, type LabConfig } from '../../../../app/contract/lab.js';
import { LAB_PRESETS, labConfig, parseSweep } from '../../../../app/indexes/lab-configs.js';
import { INDEX_KINDS, KINDS, PARAMS, defaultParams, type IndexKind, type ParamName } from '../../../../app/indexes/kinds.js';
import { METRICS } from '../../format.js';
import { useApp } from '../../store/context.js';
import { uiError } from '../../store/errors.js';
import type { UiError } from '../../store/types.js';
import { ErrorNote } from '../ErrorNote.js';
import { JobProgress } from '../JobProgress.js';
import { NumberField } from '../NumberField.js';
import { OptionSelect } from '../OptionSelect.js';
import { LabFiles } from './LabFiles.js';

export function LabSetup() {
  const id = useId();
  const datasets = useApp((s) => s.datasets);
  const datasetId = useApp((s) => s.datasetId);
  const options = useApp((s) => s.labOptions);
  const job = useApp((s) => s.labJob);
  const error = useApp((s) => s.labError);
  const notice = useApp((s) => s.labNotice);
  const count = useApp((s) => s.labConfigs.length);
  const actions = useApp(useShallow((s) => ({ selectDataset: s.selectDataset, setLabOptions: s.setLabOptions, runLab: s.runLab, cancelLab: s.cancelLab })));
  const whole = (v: number | null) => (v === null ? NaN : v);

  return (
    <>
      <section className="panel stack" aria-labelledby={`${id}-data`}>
        <h2 id={`${id}-data`}>Data</h2>
        <div className="field-row">
          <OptionSelect label="Dataset" value={datasetId ?? ''} options={datasets.map((d) => ({ value: d.id, label: d.name }))} onChange={(v) => void actions.selectDataset(v)} disabled={!!job} testId="lab-dataset" />
          <OptionSelect label="Metric" value={options.metric} options={METRICS.map((m) => ({ value: m.metric, label: m.label }))} onChange={(metric) => actions.setLabOptions({ metric })} disabled={!!job} />
        </div>
        <div className="field-row">
          <NumberField label="k" value={options.k} min={1} max={LAB_LIMITS.k.max} onChange={(v) => actions.setLabOptions({ k: whole(v) })} testId="lab-k" />
          <NumberField label="Queries" value={options.queries} min={1} max={LAB_LIMITS.queries.max} onChange={(v) => actions.setLabOptions({ queries: whole(v) })} testId="lab-queries" />
        </div>
        <div className="field-row">
          <NumberField label="Single queries" value={options.singleQueries} min={0} max={LAB_LIMITS.singleQueries.max} onChange={(v) => actions.setLabOptions({ singleQueries: whole(v) })} testId="lab-single" />
          <NumberField label="Repeats" value={options.repeats} min={1} max={LAB_LIMITS.repeats.max} onChange={(v) => actions.setLabOptions({ repeats: whole(v) })} testId="lab-repeats" />
          <NumberField label="Seed" value={options.seed} min={0} onChange={(v) => actions.setLabOptions({ seed: whole(v) })} />
        </div>
        <p className="hint">
          Queries are a seeded sample of the query set; ground truth is exact search (or the file&apos;s own). Each figure is the median of the repeats after a
          warm-up; the latency figures come from the single queries, searched one at a time.
        </p>
      </section>

      <Presets />
      <ConfigList />
      <AddConfig />

      <section className="panel stack" aria-label="Run the lab">
        <div className="actions">
          <button type="button" className="button primary" onClick={() => void actions.runLab()} disabled={!!job || count === 0} data-testid="lab-run">
            Run lab ({count} {count === 1 ? 'index' : 'indexes'})
          </button>
        </div>
        {job ? <JobProgress job={job} label="Lab run progress" testId="lab-progress" onCancel={() => void actions.cancelLab()} cancelTestId="lab-cancel" /> : null}
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <ErrorNote error={error} />
        <LabFiles />
      </section>
    </>
  );
}

function Presets() {
  const id = useId();
  const preset = useApp((s) => s.labPreset);
  const apply = useApp((s) => s.applyLabPreset);
  const busy = useApp((s) => !!s.labJob);
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Presets</h2>
      <ul className="presets">
        {LAB_PRESETS.map((p) => (
          <li key={p.id} className={preset === p.id ? 'active' : ''}>
            <button type="button" className="preset" onClick={() => apply(p.id)} disabled={busy} aria-pressed={preset === p.id} data-testid={`lab-preset-${p.id}`}>
              <strong>{p.title}</strong>
              <span className="hint">{p.lesson}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ConfigList() {
  const id = useId();
  const configs = useApp((s) => s.labConfigs);
  const remove = useApp((s) => s.removeLabConfig);
  const busy = useApp((s) => !!s.labJob);
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Indexes to compare</h2>
      {configs.length === 0 ? <p className="empty-hint">None yet: pick a preset or add one below.</p> : null}
      <ul className="lab-configs" data-testid="lab-configs">
        {configs.map((c, i) => (
          <li key={`${i}-${c.factory}`}>
            <div className="lab-config-head">
              <code>{c.factory}</code>
              <button type="button" className="icon-button" onClick={() => remove(i)} disabled={busy} aria-label={`Remove ${c.label}`}>
                ×
              </button>
            </div>
            <SweepField position={i} config={c} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The swept values as text; parsed when the field is left, so typing is never interrupted. */
function SweepField({ position, config }: { position: number; config: LabConfig }) {
  const id = useId();
  const setSweep = useApp((s) => s.setLabSweep);
  const [text, setText] = useState(config.sweep.join(', '));
  const [bad, setBad] = useState(false);
  if (!config.param) return <p className="hint">No search parameter: one point.</p>;
  const commit = () => {
    const values = parseSweep(text);
    setBad(values === null || values.length === 0);
    if (values?.length) setSweep(position, values);
  };
  return (
    <div className="field">
      <label htmlFor={id} className="small">
        {config.param} values
      </label>
      <input
        id={id}
        className="mono"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        aria-invalid={bad}
        data-testid={`lab-sweep-${position}`}
      />
      {bad ? <p className="hint warn">Whole numbers from 1, separated by commas.</p> : null}
    </div>
  );
}

function AddConfig() {
  const id = useId();
  const [kind, setKind] = useState<IndexKind>('ivfflat');
  const [params, setParams] = useState(defaultParams);
  const [factory, setFactory] = useState('IVF256,PQ16');
  const [error, setError] = useState<UiError | null>(null);
  const k = useApp((s) => s.labOptions.k);
  const add = useApp((s) => s.addLabConfig);
  const full = useApp((s) => s.labConfigs.length >= LAB_LIMITS.configs);
  const onAdd = () => {
    try {
      add(labConfig(kind === 'factory' ? factory : { kind, params }, k));
      setError(null);
    } catch (err) {
      setError(uiError(err));
    }
  };
  return (
    <section className="panel stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Add an index</h2>
      <OptionSelect label="Type" value={kind} options={INDEX_KINDS.map((x) => ({ value: x.kind, label: x.label }))} onChange={setKind} hint={KINDS[kind].hint} testId="lab-add-kind" />
      {kind === 'factory' ? (
        <div className="field">
          <label htmlFor={`${id}-factory`}>Factory string</label>
          <input id={`${id}-factory`} className="mono" value={factory} onChange={(e) => setFactory(e.target.value)} data-testid="lab-add-factory" />
        </div>
      ) : (
        <div className="field-row wrap">
          {(KINDS[kind].params as readonly ParamName[]).map((p) => (
            <NumberField key={p} label={PARAMS[p].label} value={params[p]} min={PARAMS[p].min} max={PARAMS[p].max} onChange={(v) => setParams({ ...params, [p]: v ?? NaN })} testId={`lab-add-${p}`} />
          ))}
        </div>
      )}
      <div className="actions">
        <button type="button" className="button" onClick={onAdd} disabled={full} data-testid="lab-add">
          Add to the lab
        </button>
      </div>
      <ErrorNote error={error} />
    </section>
  );
}
