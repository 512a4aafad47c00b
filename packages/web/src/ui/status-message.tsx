import type { ReactNode } from 'react';

/** A polite confirmation such as "User created."; read out by screen readers without moving focus. */
export function StatusMessage({ children }: { children: ReactNode }) {
  return (
    <p className="alert alert-success" role="status">
      {children}
    </p>
  );
}
