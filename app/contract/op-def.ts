import { Type, type TSchema } from '@sinclair/typebox';
import { Id } from './schemas.js';

/** Jobs answer at once with this; progress and the end arrive as events. */
export const JobStarted = Type.Object({ job: Id });

/** One operation: what it takes, what it answers, and for a job what it ends with. */
export interface OpDef<I extends TSchema, O extends TSchema, R extends TSchema | null> {
  input: I;
  output: O;
  /** jobs answer at once with a job id; `result` is what the job ends with */
  result: R;
}
export function call<I extends TSchema, O extends TSchema>(input: I, output: O): OpDef<I, O, null> {
  return { input, output, result: null };
}
export function job<I extends TSchema, R extends TSchema>(input: I, result: R): OpDef<I, typeof JobStarted, R> {
  return { input, output: JobStarted, result };
}
