import { useCallback, useEffect, useRef, useState } from 'react';
import type { BrowseNode, BrowseRequest } from '../../api/browse';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { canExpand, childrenIn } from './opcua-points';

/** Where to browse: the browse request without a node. */
export type BrowseTarget = Omit<BrowseRequest, 'nodeId' | 'depth'>;

/** Props of {@link OpcuaBrowser}. */
export interface OpcuaBrowserProps {
  /** The top of the tree: the answer of the first browse. */
  roots: readonly BrowseNode[];
  /** Lists the children of a node (a browse of `nodeId` with depth 1). */
  loadChildren: (nodeId: string, signal: AbortSignal) => Promise<BrowseNode[]>;
  /** The Variables picked as points, by node id. */
  selected: ReadonlyMap<string, BrowseNode>;
  onToggle: (node: BrowseNode, picked: boolean) => void;
  label: string;
}

type Children = { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'loaded'; nodes: BrowseNode[] };

interface TreeContext {
  children: ReadonlyMap<string, Children>;
  expanded: ReadonlySet<string>;
  toggleOpen: (node: BrowseNode) => void;
  selected: ReadonlyMap<string, BrowseNode>;
  onToggle: (node: BrowseNode, picked: boolean) => void;
}

function TreeItem({ node, context }: { node: BrowseNode; context: TreeContext }) {
  const { t } = useI18n();
  const open = context.expanded.has(node.nodeId);
  const expandable = canExpand(node);
  const known = node.children !== undefined ? ({ state: 'loaded', nodes: node.children } as const) : context.children.get(node.nodeId);
  const variable = node.nodeClass === 'Variable';
  const name = node.displayName || node.browseName;
  return (
    <li className="tree-item">
      <div className="tree-row">
        {expandable ? (
          <button
            type="button"
            className="tree-toggle"
            aria-expanded={open}
            aria-label={t(open ? 'opcua.collapse' : 'opcua.expand', { name })}
            onClick={() => context.toggleOpen(node)}
          >
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>
          </button>
        ) : (
          <span className="tree-spacer" aria-hidden="true" />
        )}
        {variable ? (
          <label className="tree-label">
            <input type="checkbox" checked={context.selected.has(node.nodeId)} onChange={(e) => context.onToggle(node, e.target.checked)} />
            <span>{name}</span>
          </label>
        ) : (
          <span className="tree-label">{name}</span>
        )}
        <span className="tree-meta">
          {variable && node.dataType ? <code>{node.dataType}</code> : <span className="badge">{node.nodeClass}</span>}
          {variable && node.writable ? <span className="badge">{t('opcua.writable')}</span> : null}
          <code className="muted">{node.nodeId}</code>
        </span>
      </div>
      {open ? (
        known?.state === 'loaded' ? (
          known.nodes.length > 0 ? (
            <ul className="tree-group">
              {known.nodes.map((child) => (
                <TreeItem key={child.nodeId} node={child} context={context} />
              ))}
            </ul>
          ) : (
            <p className="tree-note">{t('opcua.noChildren')}</p>
          )
        ) : known?.state === 'failed' ? (
          <div className="tree-note">
            <ErrorAlert error={known.error} onRetry={() => context.toggleOpen(node)} />
          </div>
        ) : (
          <p className="tree-note" role="status">
            {t('app.loading')}
          </p>
        )
      ) : null}
    </li>
  );
}

/**
 * The address space as a tree: Objects open on demand (their children are browsed when first opened),
 * Variables carry a checkbox that picks them as points. Built from disclosure buttons and labelled
 * checkboxes in nested lists, so keyboard and screen-reader users need nothing special.
 */
export function OpcuaBrowser({ roots, loadChildren, selected, onToggle, label }: OpcuaBrowserProps) {
  const [children, setChildren] = useState<ReadonlyMap<string, Children>>(new Map());
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  // Made in the effect, so that React's mount–unmount–mount in development gets a live one.
  const aborts = useRef<AbortController>(undefined);
  useEffect(() => {
    const controller = new AbortController();
    aborts.current = controller;
    return () => controller.abort();
  }, []);

  const load = useCallback(
    (nodeId: string) => {
      const signal = aborts.current?.signal ?? AbortSignal.abort();
      setChildren((m) => new Map(m).set(nodeId, { state: 'loading' }));
      loadChildren(nodeId, signal).then(
        (nodes) => {
          if (!signal.aborted) setChildren((m) => new Map(m).set(nodeId, { state: 'loaded', nodes: childrenIn(nodes, nodeId) }));
        },
        (error: unknown) => {
          if (!signal.aborted) setChildren((m) => new Map(m).set(nodeId, { state: 'failed', error }));
        },
      );
    },
    [loadChildren],
  );

  const toggleOpen = (node: BrowseNode) => {
    const known = children.get(node.nodeId);
    const opening = !expanded.has(node.nodeId) || known?.state === 'failed';
    setExpanded((s) => {
      const next = new Set(s);
      if (opening) next.add(node.nodeId);
      else next.delete(node.nodeId);
      return next;
    });
    if (opening && node.children === undefined && (!known || known.state === 'failed')) load(node.nodeId);
  };

  const context: TreeContext = { children, expanded, toggleOpen, selected, onToggle };
  return (
    <ul className="tree" aria-label={label}>
      {roots.map((node) => (
        <TreeItem key={node.nodeId} node={node} context={context} />
      ))}
    </ul>
  );
}
