import { useRef } from 'react';

/**
 * A styled button that opens the browser's file chooser (the bare input looks foreign in the
 * app). The input is reset after each pick so choosing the same file again still fires.
 */
export function FilePicker(props: { label: string; accept: string; onFile: (file: File) => void; disabled?: boolean; small?: boolean; testId: string; id?: string }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" id={props.id} className={`button subtle${props.small ? ' small' : ''}`} onClick={() => input.current?.click()} disabled={props.disabled}>
        {props.label}
      </button>
      <input
        ref={input}
        type="file"
        accept={props.accept}
        hidden
        disabled={props.disabled}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) props.onFile(file);
        }}
        data-testid={props.testId}
      />
    </>
  );
}
