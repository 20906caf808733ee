import { percent } from '../format.js';
import type { JobView } from '../store/types.js';

/** A job's progress bar with its phase in words, and a Cancel button when one is offered. */
export function JobProgress(props: { job: JobView; label: string; testId: string; onCancel?: () => void; cancelTestId?: string }) {
  const { job, label, testId, onCancel, cancelTestId } = props;
  const known = job.total > 0;
  const value = percent(job.done, job.total);
  const words = known ? `${job.phase}: ${job.done.toLocaleString('en-US')} of ${job.total.toLocaleString('en-US')}` : job.phase;
  return (
    <div className="job">
      <div className="job-head">
        <span className="job-phase">{words}</span>
        {onCancel ? (
          <button type="button" className="button subtle small" onClick={onCancel} data-testid={cancelTestId} disabled={job.phase === 'cancelling'}>
            Cancel
          </button>
        ) : null}
      </div>
      <div
        className={`progress ${known ? '' : 'indeterminate'}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        aria-valuetext={words}
        data-testid={testId}
      >
        <div className="progress-fill" style={{ width: known ? `${value}%` : undefined }} />
      </div>
    </div>
  );
}
