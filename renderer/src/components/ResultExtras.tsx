import { useEffect } from 'react';
import { useApp } from '../store/context.js';

/** Renders nothing: fetches the facts, exact answer and distance sample whenever a new result arrives. */
export function ResultExtras() {
  const result = useApp((s) => s.result);
  const loadExtras = useApp((s) => s.loadExtras);
  useEffect(() => {
    void loadExtras();
  }, [result, loadExtras]);
  return null;
}
