// Bytes on the wire (brotli) of what a page makes the browser download:
// its HTML, stylesheet, JS and wasm. Usage: node end2end/page-weight.mjs URL
import http from 'node:http';
import https from 'node:https';

function get(url) {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    client
      .get(url, { headers: { 'accept-encoding': 'br' } }, (res) => {
        let bytes = 0;
        const chunks = [];
        res.on('data', (chunk) => {
          bytes += chunk.length;
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode, encoding: res.headers['content-encoding'] ?? 'identity', bytes, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

export async function pageWeight(pageUrl) {
  // The HTML itself, uncompressed, to find the assets it names.
  const html = await new Promise((resolve, reject) => {
    (pageUrl.startsWith('https:') ? https : http)
      .get(pageUrl, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text));
      })
      .on('error', reject);
  });
  const hrefs = new Map();
  for (const [, tag] of html.matchAll(/<(link|script)\b[^>]*>/g).map((m) => [m[0], m[0]])) {
    const href = /\b(?:href|src)="([^"]+)"/.exec(tag)?.[1];
    if (!href) continue;
    let kind = null;
    if (/rel="modulepreload"/.test(tag) || /\.js$/.test(href)) kind = 'js';
    else if (/\.wasm$/.test(href)) kind = 'wasm';
    else if (/rel="stylesheet"/.test(tag)) kind = 'css';
    if (kind) hrefs.set(new URL(href, pageUrl).href, kind);
  }
  const result = { url: pageUrl, html: (await get(pageUrl)).bytes, js: 0, wasm: 0, css: 0, files: [] };
  for (const [url, kind] of hrefs) {
    const res = await get(url);
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
    result[kind] += res.bytes;
    result.files.push({ url, kind, encoding: res.encoding, bytes: res.bytes });
  }
  result.js_plus_wasm = result.js + result.wasm;
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.argv[2] ?? 'http://127.0.0.1:3000/';
  console.log(JSON.stringify(await pageWeight(url), null, 2));
}
