// The attachment header for any file name: plain ASCII as is, anything else in RFC 5987's filename*
// with an ASCII fallback, and never a character that could end the header or the quoted name.
import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from '../../src/lib/content-disposition.js';

describe('attachmentDisposition', () => {
  it('keeps a plain ASCII name', () => {
    expect(attachmentDisposition('export-2026.json')).toBe('attachment; filename="export-2026.json"');
  });

  it('writes a non-ASCII name in filename* with an ASCII fallback', () => {
    expect(attachmentDisposition('Bericht über €.csv')).toBe(
      `attachment; filename="Bericht _ber _.csv"; filename*=UTF-8''Bericht%20%C3%BCber%20%E2%82%AC.csv`,
    );
    expect(attachmentDisposition('📦.zip')).toBe(`attachment; filename="__.zip"; filename*=UTF-8''%F0%9F%93%A6.zip`);
  });

  it('lets no hostile name break out of the header or the quotes', () => {
    for (const name of [
      'a\r\nSet-Cookie: x=1',
      'a"; filename="b.exe',
      '..\\..\\etc/passwd',
      'x\u0000y',
      "it's (1)*.txt",
    ]) {
      const header = attachmentDisposition(name);
      expect(header).not.toMatch(/[\r\n]/);
      expect(header).not.toContain('\u0000');
      const quoted = /^attachment; filename="([^"]*)"(?:; filename\*=UTF-8''([A-Za-z0-9!#$&+.^_`|~%-]+))?$/.exec(
        header,
      );
      expect(quoted, header).not.toBeNull();
      expect(quoted?.[1]).not.toMatch(/[\\/]/);
    }
    expect(attachmentDisposition('a"b')).toBe(`attachment; filename="a_b"; filename*=UTF-8''a%22b`);
  });

  it('names a file that has no usable name, and cuts a very long one', () => {
    expect(attachmentDisposition('')).toBe('attachment; filename="download"');
    expect(attachmentDisposition('\uD800')).toBe('attachment; filename="_"');
    expect(attachmentDisposition('x'.repeat(5000)).length).toBeLessThan(260);
  });
});
