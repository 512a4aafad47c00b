import { Link } from '../../router/hash-router';

/** Props of {@link DeviceLinkCell}. */
export interface DeviceLinkCellProps {
  device: string;
  /** Shown under the id when it says something the id does not. */
  name?: string | null | undefined;
}

/** A device table's first cell: the id linking to the device's page, its name under it. */
export function DeviceLinkCell({ device, name }: DeviceLinkCellProps) {
  return (
    <>
      <Link to="/devices/:id" params={{ id: device }}>
        {device}
      </Link>
      {name && name !== device ? <span className="cell-secondary">{name}</span> : null}
    </>
  );
}
