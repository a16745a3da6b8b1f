import type { EventRule, RuleMatch } from './types.js';

/**
 * A process or unit was asked to stop — the context that makes a following `leader election lost` or
 * exit a stop rather than a failure (catalog §12.7): systemd `Stopping <description>...`, `Stopped
 * <description>.`, `<unit>: Deactivated successfully.` / `<unit>: Succeeded.`; etcd `received
 * terminated signal, shutting down...` (capnslog) / `received signal; shutting down` (zap); the
 * scheduler's `Requested to terminate, exiting` (1.24+); controller-runtime's `Stopping and waiting
 * for non leader election runnables`; kube-apiserver's `[graceful-termination]` ShutdownInitiated; a
 * Go program's `Received signal "terminated"` / `received SIGTERM`. A unit killed by a signal it did
 * not ask for (`Main process exited, code=killed, status=9/KILL`) is not a stop request.
 */
const UNIT = /^(\S+\.(?:service|scope)): (?:Deactivated successfully|Succeeded)\.$/;
const SYSTEMD = /^(Stopping|Stopped) (.+?)(?:\.\.\.|\.)$/;
const SIGNAL =
  /\breceived (?:terminated|interrupt) signal, shutting down\b|\breceived signal; shutting down\b|^Requested to terminate, exiting\b|\bStopping and waiting for non leader election runnables\b|\[graceful-termination\] shutdown event\b.*ShutdownInitiated|\b[Rr]eceived (?:signal:? "?(?:terminated|interrupt)"?|SIGTERM|SIGINT)\b/;

export const shutdown: EventRule = {
  kind: 'shutdown',
  description: 'a stop was requested: termination signal, systemd stop, graceful shutdown',
  severity: 'info',
  needles: [
    'Deactivated successfully',
    ': Succeeded.',
    'Stopping ',
    'Stopped ',
    'signal, shutting down',
    'signal; shutting down',
    'Requested to terminate',
    'non leader election runnables',
    'graceful-termination',
    'eceived signal',
    'eceived SIG',
  ],
  match({ text, fields }): RuleMatch | null {
    const unit = UNIT.exec(text);
    if (unit) return { subject: unit[1] as string, attrs: { stage: 'stopped' } };
    const systemd = fields.identifier === 'systemd' ? SYSTEMD.exec(text) : null;
    if (systemd) {
      const app = /^Service for snap application (\S+)$/.exec(systemd[2] as string);
      return {
        subject: app ? `snap.${app[1]}.service` : (systemd[2] as string),
        attrs: { stage: systemd[1] === 'Stopping' ? 'stopping' : 'stopped' },
      };
    }
    if (SIGNAL.test(text)) {
      const signal = /\b(terminated|interrupt|SIGTERM|SIGINT)\b/.exec(text);
      return {
        subject: null,
        attrs: { stage: 'signal', ...(signal ? { signal: signal[1] as string } : {}) },
      };
    }
    return null;
  },
  samples: [
    {
      line: 'Jan 12 10:00:30 node-1 systemd[1]: Stopping Service for snap application microk8s.daemon-kubelite...',
      subject: 'snap.microk8s.daemon-kubelite.service',
    },
    {
      line: 'Jan 12 10:00:31 node-1 systemd[1]: snap.microk8s.daemon-kubelite.service: Deactivated successfully.',
      subject: 'snap.microk8s.daemon-kubelite.service',
    },
    {
      line: 'Jan 12 10:00:31 node-1 systemd[1]: snap.microk8s.daemon-kubelite.service: Succeeded.',
      subject: 'snap.microk8s.daemon-kubelite.service',
    },
    {
      line: 'Jan 12 10:00:31 node-1 systemd[1]: Stopped Service for snap application microk8s.daemon-kubelite.',
      subject: 'snap.microk8s.daemon-kubelite.service',
    },
    {
      line: '2024-01-12 10:00:35.000000 N | pkg/osutil: received terminated signal, shutting down...',
      subject: null,
    },
    {
      line: '{"level":"info","ts":"2024-01-12T10:00:35.000Z","caller":"osutil/interrupt_unix.go:64","msg":"received signal; shutting down","signal":"terminated"}',
      subject: null,
    },
    { line: 'I0112 10:00:31.001377       1 server.go:266] "Requested to terminate, exiting"', subject: null },
    {
      line: '{"level":"info","ts":"2024-01-12T10:00:30Z","msg":"Stopping and waiting for non leader election runnables"}',
      subject: null,
    },
    {
      line: 'I0112 10:00:30.000000       1 genericapiserver.go:541] "[graceful-termination] shutdown event" name="ShutdownInitiated"',
      subject: null,
    },
  ],
  negatives: [
    'Jan 12 10:00:31 node-1 systemd[1]: snap.microk8s.daemon-kubelite.service: Main process exited, code=killed, status=9/KILL',
    'Jan 12 10:00:31 node-1 systemd[1]: Started Service for snap application microk8s.daemon-kubelite.',
    'I0112 10:00:31.000000   12345 controller.go:100] Stopping controller csi-nfs because the informer closed',
    'I0112 10:00:31.000000   12345 shared_informer.go:320] Stopped caches',
  ],
};
