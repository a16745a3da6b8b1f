/**
 * HTML built with the `html` tagged template escapes every interpolated value unless it is marked
 * `trusted` (markup we produced ourselves), so evidence text cannot inject markup by accident.
 */

const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEntities[c] ?? c);
}

export class TrustedHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Marks markup as safe to insert as is: use only for markup built by `html` or escaped on purpose. */
export function trusted(value: string): TrustedHtml {
  return new TrustedHtml(value);
}

type Interpolation = string | number | boolean | null | undefined | TrustedHtml | Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof TrustedHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): TrustedHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new TrustedHtml(out);
}
