import { plainWords } from '../format.js';
import type { UiError } from '../store/types.js';

/** An error in words, beside the control that caused it, with the engine's code kept small. */
export function ErrorNote({ error, id }: { error: UiError | null; id?: string }) {
  if (!error) return null;
  return (
    <div className="error-note" role="alert" data-testid="error" id={id} title={error.message}>
      <span className="error-message">{plainWords(error.message) || 'Something went wrong.'}</span> <code className="error-code">{error.code}</code>
    </div>
  );
}
