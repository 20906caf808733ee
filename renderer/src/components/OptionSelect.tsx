import { useId } from 'react';

/** A labelled select over a list of choices, with an optional hint under it. */
export function OptionSelect<V extends string>(props: {
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
  hint?: string;
  testId?: string;
  disabled?: boolean;
}) {
  const id = useId();
  const { label, value, options, onChange, hint, testId, disabled } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as V)} disabled={disabled} aria-describedby={hint ? `${id}-hint` : undefined} data-testid={testId}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
