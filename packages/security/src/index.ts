/**
 * OT security (issue 7): passive analysis of captured plant traffic, security events and their detection
 * rules (MITRE ATT&CK for ICS), learned communication baselines, incidents, early-warning notices,
 * enterprise grading and data classification. Depends on core, contracts and protocols only.
 */
