// XML 1.0 allows tab, LF, CR and everything from U+0020 except U+FFFE, U+FFFF and lone
// surrogates. Anything else cannot even be written as a character reference, so it is shown
// as text (\x1b) instead; a lone surrogate becomes U+FFFD.
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function clean(text: string): string {
  return text.replace(NOT_XML, (c) => {
    const code = c.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdfff) return '\ufffd';
    return `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** Text content: `&`, `<`, `>` escaped, characters XML cannot carry made visible. */
export function xmlText(text: string): string {
  return clean(text).replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

const ATTR_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** An attribute value (for double quotes); newlines and tabs kept as character references. */
export function xmlAttr(text: string): string {
  return clean(text).replace(/[&<>"'\t\n\r]/g, (c) => ATTR_ENTITY[c] ?? `&#${c.charCodeAt(0)};`);
}

export function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}
