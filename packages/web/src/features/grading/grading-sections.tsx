import { SectionTabs } from '../../ui/section-tabs';
import './grading.css';

/** The tabs of 企业分级 and 安全检查. */
export function GradingSections() {
  return (
    <SectionTabs
      label="grading.sections"
      sections={[
        { to: '/security/grading', label: 'nav.grading', permission: 'grading.view' },
        { to: '/security/inspections', label: 'nav.securityInspections', permission: 'grading.view' },
      ]}
    />
  );
}
