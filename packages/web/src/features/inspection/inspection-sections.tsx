import { SectionTabs, type SectionTab } from '../../ui/section-tabs';
import './inspection-console.css';

const sections: readonly SectionTab[] = [
  { to: '/inspection', label: 'inspection.section.rounds' },
  { to: '/inspection/standards', label: 'inspection.section.standards' },
  { to: '/inspection/routes', label: 'inspection.section.routes' },
];

/** The views of 点检管理: rounds, standards, routes and plans. */
export function InspectionSections() {
  return <SectionTabs label="inspection.sections" sections={sections} />;
}
