import type { Explanation } from '../contract/explain.js';
import type { ExplainKind } from './index-kind.js';
import type { StepFormat } from './explain-steps.js';

// The lesson: one query taken through Flat, IVF, HNSW and PQ, one sentence per index on what
// changed against the index before and what it cost.

export const LESSON_ORDER: readonly ExplainKind[] = ['flat', 'ivf', 'hnsw', 'pq'];

export interface LessonStep {
  kind: ExplainKind;
  factory: string;
  sentence: string;
  distances: number;
  recall: number | null;
}

const share = (n: number, of: number) => `${((n / Math.max(1, of)) * 100).toFixed(n / Math.max(1, of) < 0.01 ? 2 : 1)}%`;

function whatChanged(e: Explanation, f: StepFormat): string {
  switch (e.kind) {
    case 'flat':
      return `compares the query with all ${f.count(e.ntotal)} vectors`;
    case 'ivf': {
      const ivf = e.ivf!;
      return `ranks ${f.count(ivf.nlist)} centroids and scans only the ${ivf.nprobe} nearest ${ivf.nprobe === 1 ? 'list' : 'lists'} (${f.count(ivf.scanned)} vectors)${ivf.nprobe_for_all ? `; nprobe ≥ ${ivf.nprobe_for_all} would reach every exact neighbour` : ''}`;
    }
    case 'hnsw': {
      const h = e.hnsw!;
      return `walks a graph of ${h.max_level + 1} levels from node ${h.entry.node}, expanding ${f.count(h.level0.expanded.length)} nodes on level 0 (efSearch ${h.ef_search})`;
    }
    case 'pq':
      return `compares ${f.count(e.ntotal)} compressed codes by summing ${e.pq!.M} table cells each instead of computing distances`;
    default:
      return 'searches in a way the views do not show';
  }
}

/** One sentence per index, in lesson order; the explanations may come in any order, kinds may be missing. */
export function lessonSteps(explanations: readonly Explanation[], f: StepFormat): LessonStep[] {
  const byKind = [...explanations].sort((a, b) => LESSON_ORDER.indexOf(a.kind) - LESSON_ORDER.indexOf(b.kind));
  const flat = byKind.find((e) => e.kind === 'flat');
  return byKind.map((e) => {
    const recall = e.recall ?? null;
    const cost = flat && e !== flat ? `${f.count(e.distance_count)} distances (${share(e.distance_count, flat.distance_count)} of Flat's)` : `${f.count(e.distance_count)} distances`;
    const found = recall === null ? '' : `, recall ${recall.toFixed(2)}`;
    return {
      kind: e.kind,
      factory: e.factory,
      sentence: `${e.factory} ${whatChanged(e, f)}: ${cost}${found}.`,
      distances: e.distance_count,
      recall,
    };
  });
}

/** The lesson kinds no index of the dataset covers, so the UI can say what to build. */
export function missingKinds(kinds: readonly ExplainKind[]): ExplainKind[] {
  return LESSON_ORDER.filter((k) => !kinds.includes(k));
}
