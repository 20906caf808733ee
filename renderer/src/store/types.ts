import type { StateCreator } from 'zustand/vanilla';
import type { EngineClient } from '../../../app/contract/client.js';
import type { ErrorCode } from '../../../app/contract/errors.js';
import type { LabRun } from '../../../app/contract/lab.js';
import type { DatasetSlice } from './dataset-slice.js';
import type { ExplainSlice } from './explain-slice.js';
import type { ExploreSlice } from './explore-slice.js';
import type { IndexSlice } from './index-slice.js';
import type { LabSlice } from './lab-slice.js';
import type { QuerySlice } from './query-slice.js';
import type { ServeSlice } from './serve-slice.js';
import type { ViewSlice } from './view-slice.js';

export type AppState = DatasetSlice & IndexSlice & QuerySlice & ViewSlice & LabSlice & ExploreSlice & ServeSlice & ExplainSlice;

export interface StoreDeps {
  client: EngineClient;
  /** how often a running job is also polled, in case its events were lost (ms) */
  jobPollMs?: number;
  /** turns a picked or dropped file into a path the engine can read */
  files?: (file: File, onProgress: (done: number, total: number) => void) => Promise<string>;
  /** where the recent-files list is kept between sessions */
  recent?: SavedList<RecentFile>;
  /** where finished lab runs are kept between sessions */
  labRuns?: SavedList<LabRun>;
}

/** A list kept between sessions (the page's local storage, or nothing in tests). */
export interface SavedList<T> {
  load(): T[];
  save(items: T[]): void;
}

/** A file opened before: where it is on the engine's machine, and the name to show. */
export interface RecentFile {
  path: string;
  name: string;
}

/** Each slice sees the whole store, so actions can read and trigger other slices. */
export type SliceCreator<S> = (deps: StoreDeps) => StateCreator<AppState, [], [], S>;

/** An error as the UI shows it: words plus the engine's code. */
export interface UiError {
  code: ErrorCode;
  message: string;
}

/** A running job as the UI shows it. */
export interface JobView {
  job: string | null;
  phase: string;
  done: number;
  total: number;
}
