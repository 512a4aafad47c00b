export { createAlarmStore, alarmStates, type Alarm, type AlarmComment, type AlarmRaise, type AlarmState, type AlarmStore } from './alarm-store.js';
