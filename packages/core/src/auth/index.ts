export { hashPassword, verifyPassword, generatePassword } from './password.js';
export { signSessionToken, verifySessionToken, type SessionClaims } from './session-token.js';
