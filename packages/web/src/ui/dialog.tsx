import { useEffect, useId, useRef, type ReactNode } from 'react';

/** Props of {@link Dialog}. */
export interface DialogProps {
  title: string;
  /** Called on Esc and on the backdrop's close; the parent unmounts the dialog. */
  onClose: () => void;
  children: ReactNode;
  /** A wider dialog, for forms of many fields such as a point of a register map. */
  wide?: boolean;
}

/**
 * A modal built on the native `<dialog>`: the browser traps focus, closes on Esc and exposes
 * `role="dialog"` named by the title.
 */
export function Dialog({ title, onClose, children, wide = false }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 className="panel-title" id={titleId}>
        {title}
      </h2>
      {children}
    </dialog>
  );
}
