import { useSyncExternalStore } from 'react';

/** The colours charts draw with; plotly takes colours as values, not CSS variables. */
export interface ChartTheme {
  dark: boolean;
  text: string;
  muted: string;
  grid: string;
  plotBg: string;
  point: string;
  neighbour: string;
  neighbourLine: string;
  query: string;
  focus: string;
  bar: string;
  barFocus: string;
  /** lines from the query to its neighbours */
  line: string;
  /** a returned neighbour outside the exact top k */
  wrong: string;
  /** an exact neighbour the index did not return */
  missed: string;
  selection: string;
  /** the k-th distance marker on the histogram */
  marker: string;
  /** categorical colours for labelled points */
  categories: string[];
}

/**
 * Categorical colours that stay apart for the colour-blind: Okabe and Ito's eight first, then
 * Paul Tol's muted and medium-contrast sets, 24 in all; the first ten (digits 0-9) differ in
 * lightness as well as hue. The dark theme lightens the few that vanish on a dark ground.
 */
const CATEGORIES_LIGHT = [
  '#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#332288', '#999933', '#882255', '#ddcc77',
  '#44aa99', '#444444', '#aa4499', '#117733', '#88ccee', '#cc6677', '#f0e442', '#aaaaaa', '#6699cc', '#ee99aa',
  '#997700', '#994455', '#004488', '#bb5566',
];
const DARK_SWAPS: Record<string, string> = { '#332288': '#8877dd', '#882255': '#eeeeee', '#444444': '#777777', '#117733': '#33aa55', '#004488': '#3388cc', '#994455': '#dd7788' };
const CATEGORIES_DARK = CATEGORIES_LIGHT.map((c) => DARK_SWAPS[c] ?? c);

const LIGHT: ChartTheme = {
  dark: false,
  text: '#1d232b',
  muted: '#5b6573',
  grid: '#e4e7ec',
  plotBg: '#ffffff',
  point: '#6b8fc7',
  neighbour: '#e8590c',
  neighbourLine: '#ffffff',
  query: '#c2255c',
  focus: '#111827',
  bar: '#3b6fd8',
  barFocus: '#e8590c',
  line: 'rgba(232, 89, 12, 0.55)',
  wrong: '#d6336c',
  missed: '#7048e8',
  selection: '#0c8599',
  marker: '#c2255c',
  categories: CATEGORIES_LIGHT,
};

const DARK: ChartTheme = {
  dark: true,
  text: '#e6e9ee',
  muted: '#9aa4b2',
  grid: '#2c333d',
  plotBg: '#14181e',
  point: '#7fa5e8',
  neighbour: '#ff922b',
  neighbourLine: '#14181e',
  query: '#ff6b9a',
  focus: '#ffffff',
  bar: '#6ea0ff',
  barFocus: '#ff922b',
  line: 'rgba(255, 146, 43, 0.55)',
  wrong: '#ff6b9a',
  missed: '#b197fc',
  selection: '#3bc9db',
  marker: '#ff6b9a',
  categories: CATEGORIES_DARK,
};

const query = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const media = window.matchMedia(query);
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}

/** The chart colours for the system's light or dark setting, following it live. */
export function useChartTheme(): ChartTheme {
  const dark = useSyncExternalStore(subscribe, () => window.matchMedia(query).matches, () => false);
  return dark ? DARK : LIGHT;
}

export function chartTheme(dark: boolean): ChartTheme {
  return dark ? DARK : LIGHT;
}
