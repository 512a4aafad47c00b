/**
 * Early-warning notices (预警通报): SM2-signed, targeted, acknowledged, disposed and tracked to closure.
 */
export { createNoticeService, type NoticeService, type NoticeServiceOptions, type SweptReminder } from './notice-service.js';
export { createNoticeKeyStore, keyFingerprint, type NoticeKeyStore, type NoticeSigningKey } from './signing-key.js';
export { canonicalNotice, noticeSignerId, signNotice, whyNoticeSignatureFails, type SignedNoticeFields } from './canonical.js';
export { resolveNoticeTargets } from './targeting.js';
