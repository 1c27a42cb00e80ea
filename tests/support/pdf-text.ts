// The text a PDF shows, for tests: every content stream (inflated when FlateDecode) and the strings its text operators
// draw (pdf-lib writes standard-font text as hex strings, `<48656C6C6F> Tj`). Latin-1 (WinAnsi) is enough for pt-BR.
import { inflateSync } from 'node:zlib';

export function pdfText(bytes: Uint8Array): string {
  const raw = Buffer.from(bytes);
  const shown: string[] = [];
  let at = 0;
  for (;;) {
    const start = raw.indexOf('stream', at, 'latin1');
    if (start < 0) break;
    let from = start + 'stream'.length;
    if (raw[from] === 0x0d) from++;
    if (raw[from] === 0x0a) from++;
    const end = raw.indexOf('endstream', from, 'latin1');
    if (end < 0) break;
    at = end + 'endstream'.length;
    const data = raw.subarray(from, end);
    let content: string;
    try {
      content = inflateSync(data).toString('latin1');
    } catch {
      content = data.toString('latin1');
    }
    for (const m of content.matchAll(/<([0-9A-Fa-f\s]*)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/g)) {
      shown.push(m[1] !== undefined ? Buffer.from(m[1].replace(/\s/g, ''), 'hex').toString('latin1') : m[2]!.replace(/\\(.)/g, '$1'));
    }
  }
  return shown.join('\n');
}
