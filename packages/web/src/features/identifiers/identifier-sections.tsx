import { SectionTabs, type SectionTab } from '../../ui/section-tabs';
import './identifiers.css';

const sections: readonly SectionTab[] = [
  { to: '/identifiers', label: 'identifiers.section.records' },
  { to: '/identifiers/bulk', label: 'identifiers.section.bulk', permission: 'identifiers.write' },
  { to: '/identifiers/prefixes', label: 'identifiers.section.prefixes', permission: 'prefixes.view' },
  { to: '/identifiers/stats', label: 'identifiers.section.stats' },
];

/** The views of 标识解析 (identifiers, bulk jobs, prefixes, statistics), those the role may open. */
export function IdentifierSections() {
  return <SectionTabs label="identifiers.sections" sections={sections} />;
}
