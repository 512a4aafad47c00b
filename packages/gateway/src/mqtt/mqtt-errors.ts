import { YulianError } from '@yulian/core';


/** A write to a device that takes none (a JSON device without `commandTopic`). */
export const writeNotSupported = (message: string): YulianError => new YulianError('NOT_SUPPORTED', message);

/** A write to a device that is not online (Sparkplug: dead or not born). */
export const deviceOffline = (message: string): YulianError => new YulianError('DEVICE_OFFLINE', message);

/** A write while the broker connection is down. */
export const brokerUnavailable = (message: string): YulianError => new YulianError('MQTT_UNAVAILABLE', message);
