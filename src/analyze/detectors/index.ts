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
import { apiserverRefused } from './apiserver-refused/index.js';
import { datastoreGrowth } from './datastore-growth/index.js';
import { datastoreLatency } from './datastore-latency/index.js';
import { diskFull } from './disk-full/index.js';
import { dnsFailure } from './dns-failure/index.js';
import { evictions } from './evictions/index.js';
import { expiredCertificate } from './expired-certificate/index.js';
import { imagePullFailure } from './image-pull-failure/index.js';
import { nodeNotReady } from './node-not-ready/index.js';
import { nodePressure } from './node-pressure/index.js';
import { normalShutdown } from './normal-shutdown/index.js';
import { oomKill } from './oom-kill/index.js';
import { podsNotStarting } from './pods-not-starting/index.js';
import { slowDisk } from './slow-disk/index.js';

/**
 * Every detector, in the order findings are listed: symptoms first, then causes further down the chain,
 * then side findings. test/analyze/detectors/index.test.ts checks every file here is registered.
 * docs/detectors.md documents each one.
 */
export const detectors: readonly AnyDetector[] = [
  crashloop,
  podsNotStarting,
  evictions,
  nodeNotReady,
  apiserverRefused,
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
  datastoreLatency,
  slowDisk,
  datastoreGrowth,
  diskFull,
  nodePressure,
  expiredCertificate,
  oomKill,
  imagePullFailure,
  dnsFailure,
  normalShutdown,
];
