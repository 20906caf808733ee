import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ivfAt } from '../../../../app/explain/explain-steps.js';
import { downloadText } from '../../download.js';
import { formatCount } from '../../format.js';
import { useApp } from '../../store/context.js';
import { selectDataset } from '../../store/dataset-slice.js';
import { selectExplainMap, selectExplainRun } from '../../store/explain-slice.js';
import { ErrorNote } from '../ErrorNote.js';
import { captureLesson, downloadPng, lessonHtml } from './lesson-export.js';
import { PqHeatmap } from './PqHeatmap.js';

const pct = (v: number) => `${(v * 100).toFixed(v < 0.01 ? 2 : 1)}%`;

/** Arrow keys step, space plays, unless the user is typing in a field. */
function useStepKeys(active: boolean, keys: { next(): void; prev(): void; play(): void }) {
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      // fields keep their keys: a slider's arrows move it, a button's space presses it
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName))) return;
      if (e.key === 'ArrowRight') keys.next();
      else if (e.key === 'ArrowLeft') keys.prev();
      else if (e.key === ' ') keys.play();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, keys]);
}

/** The step panel beside the map: one sentence per step, Back / Next / Play, and each kind's own controls. */
export function ExplainPanel() {
  const run = useApp(selectExplainRun);
  const map = useApp(selectExplainMap);
  const dataset = useApp(selectDataset);
  const s = useApp(
    useShallow((st) => ({
      mode: st.explainMode,
      steps: st.explainSteps,
      step: st.explainStep,
      lesson: st.lesson,
      lessonStep: st.lessonStep,
      nprobe: st.explainNprobe,
      playing: st.explainPlaying,
      running: st.explainRunning,
      error: st.explainError,
      next: st.nextExplainStep,
      prev: st.prevExplainStep,
      play: st.toggleExplainPlay,
      setStep: st.setExplainStep,
      setNprobe: st.setExplainNprobe,
      close: st.closeExplain,
    })),
  );
  const [exporting, setExporting] = useState<string | null>(null);
  useStepKeys(run !== null, s);
  if (!run && !s.error && !s.running) return null;

  const lesson = s.mode === 'lesson' ? s.lesson : null;
  const total = lesson ? lesson.steps.length : s.steps.length;
  const at = lesson ? s.lessonStep : s.step;
  const sentence = lesson ? lesson.steps[at]?.sentence : s.steps[at]?.sentence;
  const title = lesson ? lesson.steps[at]?.factory : s.steps[at]?.title;
  const e = run?.explanation;
  const ivf = e?.ivf;
  const live = ivf && s.nprobe !== null ? ivfAt(ivf, s.nprobe) : null;

  const exportLesson = async () => {
    const el = document.querySelector<HTMLElement>('[data-testid="projection"]');
    const layer = document.querySelector<HTMLElement>('[data-testid="explain-overlay"]');
    if (!lesson || !el || !layer) return;
    setExporting('capturing the map…');
    const back = at;
    try {
      const shots = await captureLesson(el, layer, lesson.steps.length, s.setStep);
      const name = `lesson-${dataset?.name ?? 'dataset'}`;
      downloadText(`${name}.html`, lessonHtml(`One query through ${lesson.steps.map((x) => x.factory).join(' → ')}`, lesson, shots), 'text/html');
      shots.forEach((png, i) => downloadPng(`${name}-${i + 1}-${lesson.steps[i].kind}.png`, png));
      setExporting(null);
    } catch (err) {
      setExporting(`export failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      s.setStep(back);
    }
  };

  return (
    <section className="card explain-card" aria-labelledby="explain-title" data-testid="explain-panel" data-kind={e?.kind ?? ''} data-mode={s.mode}>
      <div className="card-head">
        <h2 id="explain-title">{lesson ? 'Lesson' : 'Search, explained'}</h2>
        <button type="button" className="button subtle small push" onClick={s.close} aria-label="Close the explanation" data-testid="explain-close">
          Close
        </button>
      </div>
      {e ? (
        <p className="muted small" data-testid="explain-index">
          {lesson ? `one query, ${lesson.steps.length} indexes, the same map` : `${e.factory} · ${formatCount(e.ntotal)} vectors · k = ${e.k}`}
        </p>
      ) : null}
      {s.running && !run ? <p className="muted">Asking faiss how it searches…</p> : null}
      <ErrorNote error={s.error} />
      {run && total ? (
        <>
          <div className="explain-nav" role="group" aria-label="Steps">
            <button type="button" className="button subtle" onClick={s.prev} disabled={at === 0} data-testid="explain-back">
              ← Back
            </button>
            <button type="button" className="button subtle" onClick={s.play} aria-pressed={s.playing} data-testid="explain-play">
              {s.playing ? 'Pause' : 'Play'}
            </button>
            <button type="button" className="button primary" onClick={s.next} disabled={at >= total - 1} data-testid="explain-next">
              Next →
            </button>
            <span className="muted small" data-testid="explain-counter">
              step {at + 1} of {total}
            </span>
          </div>
          <h3 className="explain-step-title">{title}</h3>
          <p className="explain-sentence" aria-live="polite" data-testid="explain-sentence">
            {sentence}
          </p>
          {!lesson && e ? (
            <dl className="explain-facts">
              <div>
                <dt>distances computed</dt>
                <dd data-testid="explain-distances">
                  {formatCount(e.distance_count)} <span className="muted">of {formatCount(e.ntotal)}</span>
                </dd>
              </div>
              {e.recall !== undefined ? (
                <div>
                  <dt>recall@{e.k}</dt>
                  <dd data-testid="explain-recall">{e.recall.toFixed(2)}</dd>
                </div>
              ) : null}
              {e.hnsw ? (
                <div>
                  <dt>efSearch · matches faiss</dt>
                  <dd>
                    {e.hnsw.ef_search} · {e.hnsw.matches_faiss ? 'yes' : 'no'}
                  </dd>
                </div>
              ) : null}
            </dl>
          ) : null}
          {!lesson && ivf && live ? (
            <div className="explain-slider">
              <label htmlFor="explain-nprobe">
                nprobe <strong data-testid="explain-nprobe-value">{live.lit.length}</strong> of {ivf.nlist}
              </label>
              <input
                id="explain-nprobe"
                type="range"
                min={1}
                max={ivf.nlist}
                step={1}
                value={live.lit.length}
                onChange={(ev) => void s.setNprobe(Number(ev.target.value))}
                data-testid="explain-nprobe"
              />
              <p className="small" data-testid="explain-nprobe-live">
                scans {pct(live.share)} of the set
                {live.reach !== null ? ` · ${e!.pq ? 'exact neighbours within reach' : 'recall'} ${live.reach.toFixed(2)}` : ''}
                {ivf.nprobe_for_all ? ` · all found from nprobe ≥ ${ivf.nprobe_for_all}` : ''}
              </p>
            </div>
          ) : null}
          {map?.pq && e?.pq && !lesson ? <PqHeatmap pq={e.pq} pick={map.pq.pick} /> : null}
          {lesson ? (
            <>
              <ol className="lesson-steps">
                {lesson.steps.map((st, i) => (
                  <li key={st.factory} className={i === at ? 'current' : ''}>
                    <button type="button" className="button link" onClick={() => s.setStep(i)}>
                      {st.factory}
                    </button>{' '}
                    <span className="muted small">
                      {formatCount(st.distances)} distances{st.recall !== null ? ` · recall ${st.recall.toFixed(2)}` : ''}
                    </span>
                  </li>
                ))}
              </ol>
              {lesson.missing.length ? <p className="hint">Build {lesson.missing.join(', ')} indexes of this dataset to add them to the lesson.</p> : null}
              <button type="button" className="button subtle" onClick={() => void exportLesson()} disabled={exporting !== null && exporting.endsWith('…')} data-testid="lesson-export">
                Export the lesson (HTML + PNGs)
              </button>
              {exporting ? <p className="muted small">{exporting}</p> : null}
            </>
          ) : null}
          <p className="hint">← → step · space plays</p>
        </>
      ) : null}
    </section>
  );
}
