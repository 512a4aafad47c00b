import { SectionTabs, type SectionTab } from '../../ui/section-tabs';
import './alarms.css';

const sections: readonly SectionTab[] = [
  { to: '/alarms', label: 'alarms.section.alarms' },
  { to: '/alarms/rules', label: 'alarms.section.rules' },
];

/** The views of 告警: the alarms and the rules that raise them (everyone who sees alarms sees the rules). */
export function AlarmSections() {
  return <SectionTabs label="alarms.sections" sections={sections} />;
}
