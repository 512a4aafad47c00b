/** Handle protocol v2 constants (RFC 3652; CNRI Handle.Net 9.x; the national system's extensions). */

/** Operation codes. */
export const OpCode = {
  RESOLUTION: 1,
  GET_SITE_INFO: 2,
  CREATE_HANDLE: 100,
  DELETE_HANDLE: 101,
  ADD_VALUE: 102,
  REMOVE_VALUE: 103,
  MODIFY_VALUE: 104,
  LIST_HANDLES: 105,
  LIST_NAS: 106,
  CHALLENGE_RESPONSE: 200,
  VERIFY_RESPONSE: 201,
  HOME_NA: 300,
  UNHOME_NA: 301,
  LIST_HOMED_NAS: 302,
  SESSION_SETUP: 400,
  SESSION_TERMINATE: 401,
  SESSION_EXCHANGEKEY: 402,
  /** National extensions: login, and login to the identifier system. */
  LOGIN: 2000,
  LOGIN_IDIS: 2001,
} as const;

/** Response codes. */
export const ResponseCode = {
  RESERVED: 0,
  SUCCESS: 1,
  ERROR: 2,
  SERVER_TOO_BUSY: 3,
  PROTOCOL_ERROR: 4,
  OPERATION_NOT_SUPPORTED: 5,
  RECURSION_COUNT_TOO_HIGH: 6,
  SERVER_READ_ONLY: 7,
  HANDLE_NOT_FOUND: 100,
  HANDLE_ALREADY_EXISTS: 101,
  INVALID_HANDLE: 102,
  VALUES_NOT_FOUND: 200,
  VALUE_ALREADY_EXISTS: 201,
  INVALID_VALUE: 202,
  OUT_OF_DATE_SITE_INFO: 300,
  SERVER_NOT_RESP: 301,
  SERVICE_REFERRAL: 302,
  PREFIX_REFERRAL: 303,
  INVALID_ADMIN: 400,
  INSUFFICIENT_PERMISSIONS: 401,
  AUTHENTICATION_NEEDED: 402,
  AUTHENTICATION_FAILED: 403,
  INVALID_CREDENTIAL: 404,
  AUTHEN_TIMEOUT: 405,
  UNABLE_TO_AUTHENTICATE: 406,
  /** National extensions. */
  RELOGIN: 407,
  LOGIN_FIRST: 408,
  SESSION_TIMEOUT: 500,
  SESSION_FAILED: 501,
  NO_SESSION_KEY: 502,
  SESSION_NO_SUPPORT: 503,
  SESSION_KEY_INVALID: 504,
  TRYING: 505,
  CREDENTIAL_VERIFY_FAILED: 3001,
} as const;

/** OpFlag bits (the header's u32). */
export const OpFlag = {
  AUTH: 0x80000000,
  CERT: 0x40000000,
  ENCR: 0x20000000,
  RECU: 0x10000000,
  CACR: 0x08000000,
  CONT: 0x04000000,
  KPAL: 0x02000000,
  PUBL: 0x01000000,
  RRDG: 0x00800000,
  OVRW: 0x00400000,
  MINT: 0x00200000,
  DNRF: 0x00100000,
} as const;

/** Envelope flag bits (byte 2). */
export const EnvelopeFlag = { COMPRESSED: 0x80, ENCRYPTED: 0x40, TRUNCATED: 0x20 } as const;

/** A value's permissions byte. */
export const Permission = { ADMIN_READ: 0x08, ADMIN_WRITE: 0x04, PUBLIC_READ: 0x02, PUBLIC_WRITE: 0x01 } as const;

/** HS_ADMIN permission bits. */
export const AdminPermission = {
  ADD_HANDLE: 0x0001,
  DELETE_HANDLE: 0x0002,
  ADD_DERIVED_PREFIX: 0x0004,
  DELETE_DERIVED_PREFIX: 0x0008,
  MODIFY_VALUE: 0x0010,
  REMOVE_VALUE: 0x0020,
  ADD_VALUE: 0x0040,
  MODIFY_ADMIN: 0x0080,
  REMOVE_ADMIN: 0x0100,
  ADD_ADMIN: 0x0200,
  READ_VALUE: 0x0400,
  LIST_HANDLES: 0x0800,
} as const;

/** Every HS_ADMIN permission. */
export const allAdminPermissions = 0x0fff;

/** The protocol version this implementation speaks (CNRI 9.x sends 2.3 and suggests 2.11). */
export const protocolVersion = { major: 2, minor: 3, suggestedMajor: 2, suggestedMinor: 11 } as const;

/** Largest message accepted (the envelope's MessageLength). */
export const maxMessageLength = 262_144;
/** Envelope, header sizes. */
export const envelopeSize = 20;
export const headerSize = 24;
/** A UDP datagram carries at most this many bytes (20 envelope + 492 message). */
export const udpPacketSize = 512;
export const udpPayloadSize = udpPacketSize - envelopeSize;

/** Digest algorithms of a request digest (hash-type byte): MD5, SHA-1 and SHA-256 as Handle.Net numbers them; SM3 is Yulian's own number for the national extension (none is published). */
export const HashType = { MD5: 1, SHA1: 2, SHA256: 3, SM3: 0x53 } as const;

/** The prefix handle's namespace (`0.NA/<prefix>`). */
export const naPrefix = '0.NA';
