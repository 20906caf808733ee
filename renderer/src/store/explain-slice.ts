import type { Explanation, ExplainInput } from '../../../app/contract/explain.js';
import type { IndexInfo } from '../../../app/contract/operations.js';
import { explainSteps, type ExplainStep, type StepMap } from '../../../app/explain/explain-steps.js';
import { indexPipeline } from '../../../app/explain/index-kind.js';
import { LESSON_ORDER, lessonSteps, missingKinds, type LessonStep } from '../../../app/explain/lesson.js';
import { formatCount, formatDistance } from '../format.js';
import { uiError } from './errors.js';
import { datasetIndexes, selectActiveIndex } from './index-slice.js';
import { resultQuery } from './query-extras-slice.js';
import { searchParams } from './query-slice.js';
import type { AppState, SliceCreator, UiError } from './types.js';

export const STEP_FORMAT = { count: formatCount, distance: formatDistance };
/** how long Play shows each step */
export const PLAY_MS = 1400;

/** One explained search: for which index and query, and its steps. */
export interface ExplainRun {
  index: IndexInfo;
  dataset: string;
  /** what was asked: the row (to place the query on the map) or the pasted vector */
  query: Query;
  explanation: Explanation;
  /** IVF: each row's list, for colouring the map (null until it arrives, or for other kinds) */
  rowLists: Int32Array | null;
}

export interface LessonRun {
  runs: ExplainRun[];
  /** per run, the map at the end of its search: what the lesson shows for it */
  ends: StepMap[];
  steps: LessonStep[];
  /** lesson kinds the dataset has no ready index for */
  missing: string[];
}

export interface ExplainSlice {
  explain: ExplainRun | null;
  explainSteps: ExplainStep[];
  explainStep: number;
  /** IVF: the nprobe the slider shows (the searched one unless moved) */
  explainNprobe: number | null;
  explainPlaying: boolean;
  explainRunning: boolean;
  explainError: UiError | null;
  /** 'steps': one index step by step; 'lesson': one query through every kind */
  explainMode: 'steps' | 'lesson';
  lesson: LessonRun | null;
  lessonStep: number;
  /** Explains the current query on the active index. */
  runExplain(nprobe?: number): Promise<void>;
  setExplainStep(step: number): void;
  nextExplainStep(): void;
  prevExplainStep(): void;
  /** Play from the current step (from the start when at the end); Play again pauses. */
  toggleExplainPlay(): void;
  /** The slider: relights the lists at once, then searches again at that nprobe. */
  setExplainNprobe(nprobe: number): Promise<void>;
  runLesson(): Promise<void>;
  closeExplain(): void;
}

type Query = ExplainInput['query'];

/** The query the user has in hand: the last result's, else the query fields. */
function currentQuery(s: AppState): Query {
  if (s.result && s.result.dataset === s.datasetId) return resultQuery(s.result, s.pastedVector);
  return { kind: s.querySource, rows: [s.queryRow] };
}

function stepsOf(run: ExplainRun, nprobe: number | null): ExplainStep[] {
  return explainSteps(run.explanation, STEP_FORMAT, nprobe === null ? {} : { nprobe });
}

export const createExplainSlice: SliceCreator<ExplainSlice> = ({ client }) => (set, get) => {
  // only the latest explain may write its answer
  let latest = 0;
  let timer: ReturnType<typeof setInterval> | null = null;
  const rowLists = new Map<string, Int32Array>();

  const stop = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };

  async function explainOn(index: IndexInfo, query: Query, nprobe?: number): Promise<ExplainRun> {
    const s = get();
    const params = { ...searchParams(index.factory, s), ...(nprobe !== undefined ? { nprobe } : {}) };
    const input: ExplainInput = { index: index.id, query, k: s.k, ...(Object.keys(params).length ? { params } : {}) };
    const explanation = await client.call('explain', input);
    let lists = explanation.ivf ? (rowLists.get(index.id) ?? null) : null;
    if (explanation.ivf && !lists) {
      lists = (await client.call('ivfAssignment', { index: index.id })).lists;
      rowLists.set(index.id, lists);
    }
    return { index, dataset: index.dataset, query, explanation, rowLists: lists };
  }

  const count = () => (get().explainMode === 'lesson' ? (get().lesson?.steps.length ?? 0) : get().explainSteps.length);
  const go = (step: number) => {
    const last = Math.max(0, count() - 1);
    const at = Math.max(0, Math.min(last, step));
    set(get().explainMode === 'lesson' ? { lessonStep: at } : { explainStep: at });
  };
  const current = () => (get().explainMode === 'lesson' ? get().lessonStep : get().explainStep);

  return {
    explain: null,
    explainSteps: [],
    explainStep: 0,
    explainNprobe: null,
    explainPlaying: false,
    explainRunning: false,
    explainError: null,
    explainMode: 'steps',
    lesson: null,
    lessonStep: 0,

    async runExplain(nprobe) {
      const s = get();
      const index = selectActiveIndex(s);
      if (!index || index.dataset !== s.datasetId || index.status !== 'ready') {
        set({ explainError: { code: 'INDEX_NOT_READY', message: 'Build an index for this dataset first, then explain a query on it.' } });
        return;
      }
      const ticket = ++latest;
      const keepStep = nprobe !== undefined && s.explain?.index.id === index.id;
      set({ explainRunning: true, explainError: null, explainMode: 'steps' });
      try {
        const run = await explainOn(index, currentQuery(s), nprobe);
        if (ticket !== latest) return;
        const steps = stepsOf(run, null);
        set({
          explain: run,
          explainSteps: steps,
          explainStep: keepStep ? Math.min(get().explainStep, steps.length - 1) : 0,
          explainNprobe: run.explanation.ivf?.nprobe ?? null,
          explainRunning: false,
        });
      } catch (err) {
        if (ticket === latest) set({ explainRunning: false, explainError: uiError(err) });
      }
    },

    setExplainStep: go,
    nextExplainStep: () => go(current() + 1),
    prevExplainStep: () => go(current() - 1),

    toggleExplainPlay() {
      if (timer !== null) {
        stop();
        set({ explainPlaying: false });
        return;
      }
      if (current() >= count() - 1) go(0);
      set({ explainPlaying: true });
      timer = setInterval(() => {
        if (current() >= count() - 1) {
          stop();
          set({ explainPlaying: false });
        } else go(current() + 1);
      }, PLAY_MS);
    },

    async setExplainNprobe(nprobe) {
      const run = get().explain;
      const ivf = run?.explanation.ivf;
      if (!run || !ivf) return;
      const p = Math.max(1, Math.min(ivf.nlist, Math.round(nprobe)));
      const steps = stepsOf(run, p);
      set({ explainNprobe: p, explainSteps: steps, explainStep: Math.min(get().explainStep, steps.length - 1) });
      await get().runExplain(p);
    },

    async runLesson() {
      const s = get();
      const ready = datasetIndexes(s).filter((ix) => ix.status === 'ready');
      const chosen = LESSON_ORDER.map((kind) => ready.find((ix) => indexPipeline(ix.factory).kind === kind)).filter((ix): ix is IndexInfo => !!ix);
      const missing = missingKinds(chosen.map((ix) => indexPipeline(ix.factory).kind));
      if (!chosen.length) {
        set({ explainError: { code: 'INDEX_NOT_READY', message: 'The lesson needs Flat, IVF, HNSW or PQ indexes of this dataset: build some first.' } });
        return;
      }
      const ticket = ++latest;
      stop();
      set({ explainRunning: true, explainError: null, explainPlaying: false });
      try {
        const query = currentQuery(s);
        const runs: ExplainRun[] = [];
        for (const ix of chosen) runs.push(await explainOn(ix, query));
        if (ticket !== latest) return;
        set({
          lesson: {
            runs,
            ends: runs.map((r) => stepsOf(r, null).at(-1)!.map),
            steps: lessonSteps(runs.map((r) => r.explanation), STEP_FORMAT),
            missing,
          },
          lessonStep: 0,
          explainMode: 'lesson',
          explainRunning: false,
        });
      } catch (err) {
        if (ticket === latest) set({ explainRunning: false, explainError: uiError(err) });
      }
    },

    closeExplain() {
      latest++;
      stop();
      set({ explain: null, explainSteps: [], explainStep: 0, explainPlaying: false, explainRunning: false, explainError: null, lesson: null, lessonStep: 0, explainMode: 'steps' });
    },
  };
};

/** The explained run the map shows now (the lesson's current index in a lesson); null when none. */
export function selectExplainRun(s: AppState): ExplainRun | null {
  const run = s.explainMode === 'lesson' ? s.lesson?.runs[s.lessonStep] : s.explain;
  return run && run.dataset === s.datasetId ? run : null;
}

/** What the map draws for it at this step. */
export function selectExplainMap(s: AppState): StepMap | null {
  if (!selectExplainRun(s)) return null;
  return (s.explainMode === 'lesson' ? s.lesson?.ends[s.lessonStep] : s.explainSteps[s.explainStep]?.map) ?? null;
}
