/** A minimal AWS Signature V4 client (path style), enough to create a bucket on RGW. */
import { createHash, createHmac } from 'crypto';
import { http } from './proc';

const sha256 = (d: string | Buffer) => createHash('sha256').update(d).digest('hex');
const hmac = (k: Buffer | string, d: string) => createHmac('sha256', k).update(d).digest();

export async function s3Request(endpoint: string, keys: { accessKey: string; secretKey: string }, method: string, p: string, region = 'us-east-1', body = '') {
  const url = new URL(p, endpoint);
  const now = new Date().toISOString().replace(/[:-]|\.\d{3}/g, '');
  const date = now.slice(0, 8);
  const payloadHash = sha256(body);
  const headers: Record<string, string> = { 'host': url.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': now };
  const signed = Object.keys(headers).sort();
  const query = [...url.searchParams.entries()].sort().map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const canonicalHeaders = signed.map((h) => `${h}:${headers[h]}\n`).join('');
  const canonical = [method, url.pathname, query, canonicalHeaders, signed.join(';'), payloadHash].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', now, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${keys.secretKey}`, date), region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${keys.accessKey}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  delete headers.host;
  return http(url.toString(), { method, headers, body: body || undefined });
}
