import { useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { byteOrders, dataTypes, modbusTables } from '@yulian/contracts';
import { useI18n, type MessageKey } from '../../i18n';
import { Dialog } from '../../ui/dialog';
import { Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import { useIssueText } from './issue-text';
import { cellsToPoint, pointToCells, type ModbusPoint, type PointCells, type PointIssue, type RegisterMapColumn } from './modbus-points';
import type { ServerPointIssue } from './server-issues';

/** Props of {@link PointDialog}. */
export interface PointDialogProps {
  /** The point to edit; a new point when absent. */
  initial?: ModbusPoint;
  /** 1-based position in the register map, for the title of an edit. */
  position?: number;
  /** Keys of the other points: a key must stay unique. */
  otherKeys: ReadonlySet<string>;
  /** What the server said about this point at the last submit. */
  serverIssues?: readonly ServerPointIssue[];
  onClose: () => void;
  onSave: (point: ModbusPoint) => void;
}

/** The label of each column in the form. */
const labels: Record<RegisterMapColumn, MessageKey> = {
  key: 'point.key',
  name: 'point.name',
  unit: 'point.unit',
  dataType: 'point.dataType',
  table: 'point.table',
  address: 'point.address',
  byteOrder: 'point.byteOrder',
  multiplier: 'point.multiplier',
  offset: 'point.offset',
  access: 'point.access',
  min: 'point.min',
  max: 'point.max',
  length: 'point.length',
  bit: 'point.bit',
};

const choices: Partial<Record<RegisterMapColumn, readonly string[]>> = {
  dataType: dataTypes,
  table: modbusTables,
  byteOrder: byteOrders,
  access: ['read', 'read-write'],
};

const hints: Partial<Record<RegisterMapColumn, MessageKey>> = {
  key: 'point.keyHint',
  address: 'point.addressHint',
  multiplier: 'point.scaleHint',
  length: 'point.lengthHint',
  bit: 'point.bitHint',
};

const empty: PointCells = { dataType: 'uint16', table: 'holding', byteOrder: 'ABCD', access: 'read', multiplier: '1', offset: '0' };

/**
 * Adds or edits one point of a register map, with the same reading and checks as a CSV row, so a
 * point the form accepts is one the import would have accepted.
 */
export function PointDialog({ initial, position, otherKeys, serverIssues = [], onClose, onSave }: PointDialogProps) {
  const { t } = useI18n();
  const issueText = useIssueText();
  const [cells, setCells] = useState<PointCells>(() => (initial ? pointToCells(initial) : empty));
  const [issues, setIssues] = useState<PointIssue[]>([]);
  const [keyTaken, setKeyTaken] = useState(false);
  const serverByColumn = new Map(serverIssues.map((i) => [i.column, i.message]));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const read = cellsToPoint(cells);
    const taken = read.point !== undefined && otherKeys.has(read.point.key);
    flushSync(() => {
      setIssues(read.issues);
      setKeyTaken(taken);
    });
    if (!read.point || taken) {
      form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    onSave(read.point);
  };

  const errorOf = (column: RegisterMapColumn): string | undefined => {
    const issue = issues.find((i) => i.column === column);
    if (issue) return issueText(issue);
    if (column === 'key' && keyTaken) return t('point.keyTaken', { key: (cells.key ?? '').trim() });
    return serverByColumn.get(column);
  };
  const rowIssues = issues.filter((i) => i.column === undefined);

  return (
    <Dialog title={initial ? t('point.editTitle', { position: position ?? '', key: initial.key }) : t('point.addTitle')} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        {serverIssues.length > 0 ? (
          <div className="alert alert-error" role="alert">
            <p className="alert-headline">{t('point.serverSaid')}</p>
            <ul className="alert-list">
              {serverIssues.map((i, n) => (
                <li key={n}>
                  {i.column ? <code>{i.column}</code> : null} {i.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {rowIssues.length > 0 ? (
          <div className="alert alert-error" role="alert">
            {rowIssues.map((i, n) => (
              <p key={n}>{issueText(i)}</p>
            ))}
          </div>
        ) : null}
        <div className="form-grid point-form">
          {(Object.keys(labels) as RegisterMapColumn[]).map((column) => {
            const options = choices[column];
            const hint = hints[column];
            return (
              <Field key={column} label={t(labels[column])} hint={hint ? t(hint) : undefined} error={errorOf(column)}>
                {(control) =>
                  options ? (
                    <select {...control} name={column} value={cells[column] ?? ''} onChange={(e) => setCells({ ...cells, [column]: e.target.value })}>
                      {options.map((o) => (
                        <option key={o} value={o}>
                          {o}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input
                      {...control}
                      name={column}
                      autoComplete="off"
                      autoFocus={column === 'key'}
                      inputMode={column === 'key' || column === 'name' || column === 'unit' ? undefined : 'decimal'}
                      value={cells[column] ?? ''}
                      onChange={(e) => setCells({ ...cells, [column]: e.target.value })}
                    />
                  )
                }
              </Field>
            );
          })}
        </div>
        <FormActions submitLabel={initial ? t('point.save') : t('point.add')} busy={false} onCancel={onClose} keepLabelWhileBusy />
      </form>
    </Dialog>
  );
}
