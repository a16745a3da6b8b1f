import { describe, expect, it } from 'vitest';
import { escapeHtml, html, trusted } from '../../src/serve/html.js';

describe('html template', () => {
  it('escapes every interpolated value, including inside arrays', () => {
    const evil = `<img src=x onerror="alert('x')">&`;
    const out = html`<p title="${evil}">${evil}</p>
      <ul>
        ${[evil].map((v) => html`<li>${v}</li>`)}
      </ul>`.value;
    expect(out.replace(/>\s+</g, '><')).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;">' +
        '&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;</p>' +
        '<ul><li>&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;</li></ul>',
    );
  });

  it('inserts trusted markup as is and drops null, undefined and false', () => {
    expect(html`${trusted('<b>ok</b>')}${null}${undefined}${false}${0}`.value).toBe('<b>ok</b>0');
  });

  it('escapeHtml leaves plain text alone', () => {
    expect(escapeHtml('kube-system/csi-nfs 215 MiB')).toBe('kube-system/csi-nfs 215 MiB');
  });
});
