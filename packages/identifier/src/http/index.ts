export { type HandlesApiOptions, type HandlesAuthorize, type HandlesOperation, type HandlesRefusal, handlesApi, handlesApiBodyLimit } from './handles-api.js';
export {
  type AdminJson, type HandleDataJson, type HandleReferenceJson, type HandleValueJson, adminPermissionsFromJson, adminPermissionsToString, handleValueFromJson, handleValueToJson,
  handleValuesFromJson, handleValuesToJson, isoSeconds,
} from './handle-json.js';
export { type SiteInterfaceJson, type SiteJson, type SiteServerJson, siteFromJson, siteToJson } from './site-json.js';
export { HandleJsonError } from './json-input.js';
export { type StatusContext, httpStatusOf } from './status.js';
export { handlesListLimits } from './handles-list.js';
export { defaultAdmin, defaultAdminIndex, prefixAdminIndex } from './handles-writes.js';
export { type NodeHttpOptions, createNodeHttpApp } from './node-app.js';
