import { describe, expect, it } from 'vitest';
import { linkStaysInside, safeMemberPath } from '../../src/bundle/safety.js';

describe('safeMemberPath', () => {
  it('normalises ordinary member names', () => {
    expect(safeMemberPath('./inspection-report/k8s/get-all')).toEqual({
      path: 'inspection-report/k8s/get-all',
    });
    expect(safeMemberPath('a//b/./c.log')).toEqual({ path: 'a/b/c.log' });
    expect(safeMemberPath('dir\\file.log')).toEqual({ path: 'dir/file.log' });
  });

  it('refuses absolute paths, parent segments and empty names', () => {
    expect(safeMemberPath('/etc/passwd')).toEqual({ problem: 'absolute path in archive; skipped' });
    expect(safeMemberPath('C:/Windows/win.ini')).toEqual({ problem: 'absolute path in archive; skipped' });
    expect(safeMemberPath('a/../../b')).toEqual({ problem: "path with '..' in archive; skipped" });
    expect(safeMemberPath('..')).toEqual({ problem: "path with '..' in archive; skipped" });
    expect(safeMemberPath('./')).toEqual({ problem: 'empty path in archive; skipped' });
  });
});

describe('linkStaysInside', () => {
  it('allows links that resolve inside the bundle only', () => {
    expect(linkStaysInside('logs/current.log', '0.log')).toBe(true);
    expect(linkStaysInside('logs/a/current.log', '../b/0.log')).toBe(true);
    expect(linkStaysInside('logs/current.log', '../../etc/shadow')).toBe(false);
    expect(linkStaysInside('current.log', '/var/log/pods/x/0.log')).toBe(false);
    expect(linkStaysInside('a/b', '../..')).toBe(false);
  });
});
