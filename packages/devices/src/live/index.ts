export { createLiveHub, type LiveClient, type LiveClientStats, type LiveHub, type LiveHubOptions, type LiveHubStats, type LiveSampleInput, type LiveScope, type LiveSocket } from './hub.js';
export { liveClientMessageSchema, type LiveClientMessage, type LiveSample, type LiveServerMessage } from './protocol.js';
