import { SectionTabs, type SectionTab } from '../../ui/section-tabs';
import './alarms.css';

const sections: readonly SectionTab[] = [
  { to: '/alarms', label: 'alarms.section.alarms' },
  { to: '/alarms/rules', label: 'alarms.section.rules' },
  { to: '/alarms/notifications', label: 'alarms.section.notifications' },
];

/** The views of 告警: the alarms, the rules that raise them and the notifications they send (everyone who sees alarms sees these). */
export function AlarmSections() {
  return <SectionTabs label="alarms.sections" sections={sections} />;
}
