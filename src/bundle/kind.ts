/**
 * Which collector produced a bundle, recognised from its file list (bundles-and-signatures.md §1–2):
 * `microk8s inspect`, OpenShift must-gather, Replicated troubleshoot, sosreport, the Rancher logs
 * collector (k3s/RKE2), a `kubectl cluster-info dump --output-directory`, or a plain pile of files.
 */
export type BundleKind =
  | 'microk8s-inspect'
  | 'must-gather'
  | 'troubleshoot'
  | 'sosreport'
  | 'rancher-logs-collector'
  | 'cluster-info-dump'
  | 'plain';

export function recogniseBundle(paths: string[]): BundleKind {
  const has = (pattern: RegExp) => paths.some((path) => pattern.test(path));
  if (
    has(/(?:^|\/)(?:snap\.)?microk8s\.daemon-[^/]+\/journal\.log$/) ||
    (has(/(?:^|\/)k8s\/cluster-info-dump$/) && has(/(?:^|\/)args\//))
  ) {
    return 'microk8s-inspect';
  }
  if (
    has(/(?:^|\/)must-gather\.local\.[^/]+\//) ||
    (has(/(?:^|\/)cluster-scoped-resources\//) && has(/(?:^|\/)namespaces\//))
  ) {
    return 'must-gather';
  }
  if (has(/(?:^|\/)version\.yaml$/) && has(/(?:^|\/)cluster-resources\//)) return 'troubleshoot';
  if (has(/(?:^|\/)sos_commands\//) && has(/(?:^|\/)sos_reports\//)) return 'sosreport';
  if (has(/(?:^|\/)systeminfo\//) && has(/(?:^|\/)journald\//) && has(/(?:^|\/)(?:k3s|rke2)\//)) {
    return 'rancher-logs-collector';
  }
  if (has(/(?:^|\/)nodes\.(?:json|yaml)$/) && has(/(?:^|\/)[^/]+\/pods\.(?:json|yaml)$/))
    return 'cluster-info-dump';
  return 'plain';
}

/**
 * When the collector ran, if the bundle's name says so: `inspection-report-YYYYMMDD_HHMMSS` (host
 * local time), `support-bundle-YYYY-MM-DDTHH_MM_SS`, the Rancher collector's `<host>-YYYY-MM-DD_HH_MM_SS`.
 * Read as UTC; the caller's --tz applies the host zone.
 */
export function collectionStampFromName(
  name: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } | null {
  const match =
    /inspection-report-(\d{4})(\d\d)(\d\d)_(\d\d)(\d\d)(\d\d)/.exec(name) ??
    /(\d{4})-(\d\d)-(\d\d)[T_](\d\d)_(\d\d)_(\d\d)/.exec(name);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return { year, month, day, hour, minute, second };
}
