// Bytes on the wire (brotli) of what a page makes the browser download:
// its HTML, stylesheet, JS and wasm. Used by weight.spec.ts (`make weight`).
import http from 'node:http';
import https from 'node:https';

type Fetched = { status?: number; encoding: string; bytes: number };

function get(url: string): Promise<Fetched> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    client
      .get(url, { headers: { 'accept-encoding': 'br' } }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode, encoding: res.headers['content-encoding'] ?? 'identity', bytes }),
        );
      })
      .on('error', reject);
  });
}

export type Weight = {
  url: string;
  html: number;
  js: number;
  wasm: number;
  css: number;
  js_plus_wasm: number;
  files: { url: string; kind: string; encoding: string; bytes: number }[];
};

export async function pageWeight(pageUrl: string): Promise<Weight> {
  // The HTML itself, uncompressed, to find the assets it names.
  const html = await new Promise<string>((resolve, reject) => {
    (pageUrl.startsWith('https:') ? https : http)
      .get(pageUrl, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(text));
      })
      .on('error', reject);
  });
  const hrefs = new Map<string, 'js' | 'wasm' | 'css'>();
  for (const [tag] of html.matchAll(/<(?:link|script)\b[^>]*>/g)) {
    const href = /\b(?:href|src)="([^"]+)"/.exec(tag)?.[1];
    if (!href) continue;
    let kind: 'js' | 'wasm' | 'css' | null = null;
    if (/rel="modulepreload"/.test(tag) || /\.js$/.test(href)) kind = 'js';
    else if (/\.wasm$/.test(href)) kind = 'wasm';
    else if (/rel="stylesheet"/.test(tag)) kind = 'css';
    if (kind) hrefs.set(new URL(href, pageUrl).href, kind);
  }
  const result: Weight = { url: pageUrl, html: (await get(pageUrl)).bytes, js: 0, wasm: 0, css: 0, js_plus_wasm: 0, files: [] };
  for (const [url, kind] of hrefs) {
    const res = await get(url);
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
    result[kind] += res.bytes;
    result.files.push({ url, kind, encoding: res.encoding, bytes: res.bytes });
  }
  result.js_plus_wasm = result.js + result.wasm;
  return result;
}
