import { SectionTabs, type SectionTab } from '../../ui/section-tabs';
import './maintenance.css';

const sections: readonly SectionTab[] = [
  { to: '/maintenance', label: 'maintenance.section.orders' },
  { to: '/maintenance/schedules', label: 'maintenance.section.schedules' },
];

/** The views of 维护: work orders and preventive schedules. */
export function MaintenanceSections() {
  return <SectionTabs label="maintenance.sections" sections={sections} />;
}
