import type { ReactNode } from 'react';

/** Props of {@link PageHeader}. */
export interface PageHeaderProps {
  title: string;
  intro?: ReactNode;
  /** Buttons shown on the right, e.g. Refresh. */
  actions?: ReactNode;
}

/** A page's `<h1>` with an optional line of introduction. */
export function PageHeader({ title, intro, actions }: PageHeaderProps) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {intro ? <p className="page-intro">{intro}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}
