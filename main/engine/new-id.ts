import { randomBytes } from 'node:crypto';

/** A fresh id for a dataset, index or job: its kind as a prefix, then random hex. */
export const newId = (prefix: string): string => `${prefix}-${randomBytes(5).toString('hex')}`;
