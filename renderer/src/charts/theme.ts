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
  categories: ['#3b6fd8', '#e8590c', '#2b9348', '#c2255c', '#7048e8', '#0c8599', '#b08900', '#5c7080', '#d6336c', '#37b24d', '#845ef7', '#1098ad'],
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
  categories: ['#6ea0ff', '#ff922b', '#51cf66', '#f06595', '#9775fa', '#3bc9db', '#fcc419', '#adb5bd', '#ff8787', '#8ce99a', '#b197fc', '#66d9e8'],
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
