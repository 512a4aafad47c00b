import { YulianError } from '@yulian/core';
import type { CommandDispatcher } from '@yulian/devices';
import { executeCommand } from '@yulian/gateway';
import type { EmbeddedGateway } from './embedded.js';
import { embeddedGatewayId } from './embedded.js';
import type { GatewayLinkServer } from './link-server.js';

/**
 * Commands to the embedded gateway run in-process; every other gateway gets them over its link, and
 * one without an open link is offline (the command is refused, never queued).
 * @example createCommandDispatcher({ embedded: () => platform.embeddedGateway, links })
 */
export function createCommandDispatcher(o: { embedded: () => EmbeddedGateway | undefined; links: GatewayLinkServer }): CommandDispatcher {
  return {
    available: (gatewayId) => (gatewayId === embeddedGatewayId ? o.embedded() !== undefined : o.links.isConnected(gatewayId)),
    async dispatch(gatewayId, command) {
      if (gatewayId !== embeddedGatewayId) return o.links.send(gatewayId, command);
      const embedded = o.embedded();
      if (!embedded) throw new YulianError('GATEWAY_OFFLINE', 'The embedded gateway is not running.');
      const { durationMs: _ms, ...outcome } = await executeCommand(embedded.gateway, command);
      return outcome;
    },
  };
}
