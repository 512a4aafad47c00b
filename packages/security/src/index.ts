/**
 * OT security (issue 7): passive analysis of captured plant traffic, security events and their detection
 * rules (MITRE ATT&CK for ICS), learned communication baselines, incidents, early-warning notices,
 * enterprise grading and data classification. Depends on core, contracts and protocols only.
 */
export * from './notices/index.js';
export * from './classification/index.js';
export * from './grading/index.js';
export * from './incidents/index.js';
export * from './rules/index.js';
export * from './baseline/index.js';
export * from './events/index.js';
export * from './pcap/index.js';
export * from './assets/index.js';
