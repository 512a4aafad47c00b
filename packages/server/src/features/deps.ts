import type { Bus, Config, GatewayRegistry, IdentityService, Logger, Store } from '@yulian/core';

/** What feature plugins get from the platform. */
export interface FeatureDeps {
  config: Config;
  store: Store;
  bus: Bus;
  identity: IdentityService;
  gateways: GatewayRegistry;
  logger: Logger;
  /** Set once the platform is listening and ready; false while starting or draining. */
  isReady: () => boolean;
}
