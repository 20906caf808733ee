import { useId } from 'react';
import { Field } from './Field.js';

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
    <Field id={id} label={label} hint={hint}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as V)} disabled={disabled} aria-describedby={hint ? `${id}-hint` : undefined} data-testid={testId}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
