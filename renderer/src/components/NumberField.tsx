import { useId } from 'react';
import { Field } from './Field.js';

/** A labelled number input (whole numbers unless `step` says otherwise); an empty field is `null` (or NaN when a value is required). */
export function NumberField(props: {
  label: string;
  value: number | null;
  onChange: (value: number | null) => void;
  min?: number;
  max?: number;
  placeholder?: string;
  hint?: string;
  testId?: string;
  disabled?: boolean;
  step?: number;
}) {
  const id = useId();
  const { label, value, onChange, min, max, placeholder, hint, testId, disabled, step = 1 } = props;
  return (
    <Field id={id} label={label} hint={hint}>
      <input
        id={id}
        type="number"
        inputMode={Number.isInteger(step) ? 'numeric' : 'decimal'}
        step={step}
        min={min}
        max={max}
        placeholder={placeholder}
        disabled={disabled}
        value={value === null || Number.isNaN(value) ? '' : value}
        onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}
        aria-describedby={hint ? `${id}-hint` : undefined}
        data-testid={testId}
      />
    </Field>
  );
}
