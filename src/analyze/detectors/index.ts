import type { AnyDetector } from '../detector.js';
import { apiserverUnavailable } from './apiserver-unavailable/index.js';
import { controlPlaneRestarts } from './control-plane-restarts/index.js';
import { crashloop } from './crashloop/index.js';
import { datastoreBloat } from './datastore-bloat/index.js';
import { deprecatedRegistry } from './deprecated-registry/index.js';
import { diskPressure } from './disk-pressure/index.js';
import { ipamGcDisabled } from './ipam-gc-disabled/index.js';
import { ipamHandleBuildup } from './ipam-handle-buildup/index.js';
import { leaseFailures } from './lease-failures/index.js';
import { snapshotCorrelation } from './snapshot-correlation/index.js';
import { snapshotStorm } from './snapshot-storm/index.js';
import { unknownFlag } from './unknown-flag/index.js';
import { watchStream } from './watch-stream/index.js';

/**
 * Every detector, in the order findings are listed: symptoms first, then causes further down the chain,
 * then side findings. test/analyze/detectors/index.test.ts checks every file here is registered.
 * docs/detectors.md documents each one.
 */
export const detectors: readonly AnyDetector[] = [
  crashloop,
  leaseFailures,
  apiserverUnavailable,
  snapshotCorrelation,
  snapshotStorm,
  datastoreBloat,
  ipamHandleBuildup,
  ipamGcDisabled,
  watchStream,
  controlPlaneRestarts,
  unknownFlag,
  deprecatedRegistry,
  diskPressure,
];
