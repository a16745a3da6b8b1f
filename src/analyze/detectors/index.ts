import type { Detector } from '../detector.js';
import { apiserverUnavailable } from './apiserver-unavailable.js';
import { controlPlaneRestarts } from './control-plane-restarts.js';
import { crashloop } from './crashloop.js';
import { datastoreBloat } from './datastore-bloat.js';
import { deprecatedRegistry } from './deprecated-registry.js';
import { diskPressure } from './disk-pressure.js';
import { ipamGcDisabled } from './ipam-gc-disabled.js';
import { ipamHandleBuildup } from './ipam-handle-buildup.js';
import { leaseFailures } from './lease-failures.js';
import { snapshotCorrelation } from './snapshot-correlation.js';
import { snapshotStorm } from './snapshot-storm.js';
import { unknownFlag } from './unknown-flag.js';
import { watchStream } from './watch-stream.js';

/**
 * Every detector, in the order findings are listed: symptoms first, then causes further down the chain,
 * then side findings. test/analyze/detectors/index.test.ts checks every file here is registered.
 * docs/detectors.md documents each one.
 */
export const detectors: readonly Detector[] = [
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
