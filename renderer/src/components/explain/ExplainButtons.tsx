import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../store/context.js';

/** Explain and Lesson, beside Run query: they take the query in hand (row, clicked point, pasted vector). */
export function ExplainButtons({ ready }: { ready: boolean }) {
  const { run, lesson, running } = useApp(useShallow((s) => ({ run: s.runExplain, lesson: s.runLesson, running: s.explainRunning })));
  return (
    <>
      <button type="button" className="button subtle" onClick={() => void run()} disabled={!ready} aria-busy={running} data-testid="explain" title="Show, step by step, how this index finds the query's neighbours">
        Explain
      </button>
      <button type="button" className="button subtle" onClick={() => void lesson()} disabled={!ready} data-testid="lesson" title="The same query through Flat, IVF, HNSW and PQ">
        Lesson
      </button>
    </>
  );
}
