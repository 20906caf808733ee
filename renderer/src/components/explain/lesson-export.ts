import type { PlotlyHTMLElement } from 'plotly.js';
import { loadPlotly } from '../../charts/plotly.js';
import type { LessonRun } from '../../store/explain-slice.js';

// The lesson as a page a teacher can put in slides offline: each step's map as a PNG inside the
// HTML (data URIs, nothing fetched), and the same PNGs as files.

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Resolves after plotly has drawn `el` once more (or after a second, if nothing was to redraw). */
function nextDraw(el: PlotlyHTMLElement): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      // plotly's element is a node EventEmitter; its types list only removeAllListeners
      (el as unknown as { removeListener(event: string, f: () => void): void }).removeListener('plotly_afterplot', done);
      resolve();
    };
    const timer = setTimeout(done, 1000);
    el.on('plotly_afterplot', done);
  });
}

/** Shows each lesson step in turn, captures the map, and returns one PNG data URL per step. */
export async function captureLesson(el: HTMLElement, steps: number, show: (step: number) => void): Promise<string[]> {
  const plotly = await loadPlotly();
  const plot = el as PlotlyHTMLElement;
  const shots: string[] = [];
  for (let i = 0; i < steps; i++) {
    const drawn = nextDraw(plot);
    show(i);
    await drawn;
    shots.push(await plotly.toImage(plot, { format: 'png', width: 1100, height: 700 }));
  }
  return shots;
}

export function lessonHtml(title: string, lesson: LessonRun, shots: string[]): string {
  const sections = lesson.steps
    .map((s, i) => `<section><h2>${i + 1}. ${escape(s.factory)}</h2><p>${escape(s.sentence)}</p>${shots[i] ? `<img alt="${escape(s.factory)} on the map" src="${shots[i]}">` : ''}</section>`)
    .join('\n');
  const missing = lesson.missing.length ? `<p class="note">Not in this lesson (no index of the dataset): ${escape(lesson.missing.join(', '))}.</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:1140px;margin:2rem auto;padding:0 1rem;color:#1d232b}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}img{max-width:100%;border:1px solid #e4e7ec;border-radius:6px}.note{color:#5b6573}</style>
</head><body><h1>${escape(title)}</h1>${missing}
${sections}
</body></html>`;
}

export function downloadPng(name: string, dataUrl: string): void {
  const a = document.createElement('a');
  a.href = dataUrl;
  a.download = name;
  a.click();
}
