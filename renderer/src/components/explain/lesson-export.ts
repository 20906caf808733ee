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

function image(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('an image of the map could not be read'));
    img.src = src;
  });
}

/** The map and the explain layer over it, as one PNG at the size they are shown. */
async function snapshot(map: PlotlyHTMLElement, layer: PlotlyHTMLElement): Promise<string> {
  const plotly = await loadPlotly();
  const { width, height } = map.getBoundingClientRect();
  const size = { format: 'png' as const, width: Math.round(width), height: Math.round(height) };
  const [a, b] = await Promise.all([plotly.toImage(map, size), plotly.toImage(layer, size)]);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, size.width, size.height);
  g.drawImage(await image(a), 0, 0);
  g.drawImage(await image(b), 0, 0);
  return canvas.toDataURL('image/png');
}

/** Shows each lesson step in turn, captures the map with its layer, and returns one PNG data URL per step. */
export async function captureLesson(map: HTMLElement, layer: HTMLElement, steps: number, show: (step: number) => void): Promise<string[]> {
  const shots: string[] = [];
  for (let i = 0; i < steps; i++) {
    const drawn = nextDraw(layer as PlotlyHTMLElement);
    show(i);
    await drawn;
    shots.push(await snapshot(map as PlotlyHTMLElement, layer as PlotlyHTMLElement));
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
