import type { KeyboardEvent } from 'react';
import { useApp } from '../store/context.js';
import type { AppView } from '../store/lab-slice.js';
import '../lab.css';

const VIEWS: { view: AppView; label: string }[] = [
  { view: 'explore', label: 'Explore' },
  { view: 'lab', label: 'Index lab' },
];

/** The two views as tabs: arrow keys move between them, as the ARIA tabs pattern asks. */
export function ViewTabs() {
  const active = useApp((s) => s.activeView);
  const setView = useApp((s) => s.setActiveView);
  const onKey = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = VIEWS[(i + step + VIEWS.length) % VIEWS.length].view;
    setView(next);
    document.getElementById(`tab-${next}`)?.focus();
  };
  return (
    <nav className="view-tabs" role="tablist" aria-label="Views">
      {VIEWS.map(({ view, label }, i) => (
        <button
          key={view}
          id={`tab-${view}`}
          type="button"
          role="tab"
          aria-selected={active === view}
          aria-controls={`view-${view}`}
          tabIndex={active === view ? 0 : -1}
          className={`view-tab ${active === view ? 'active' : ''}`}
          onClick={() => setView(view)}
          onKeyDown={(e) => onKey(e, i)}
          data-testid={`tab-${view}`}
        >
          {label}
        </button>
      ))}
    </nav>
  );
}
