/**
 * A small OCI image built here (no outside registry is reachable): an OCI layout with one small
 * layer and one layer of random bytes larger than two S3 chunks, pushed and pulled with skopeo.
 */
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** One-file ustar archive. */
function tar(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const put = (s: string, off: number, len: number) => header.write(s, off, len, 'ascii');
  put(name, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(`${content.length.toString(8).padStart(11, '0')}\0`, 124, 12);
  put('00000000000\0', 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of header) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, pad, Buffer.alloc(1024)]);
}

export interface BuiltImage {
  readonly layout: string; // OCI layout directory; reference `oci:<layout>:<tag>`
  readonly tag: string;
  readonly manifestDigest: string;
  readonly layerDigests: readonly string[];
  readonly bigLayerBytes: number;
}

/** Writes an OCI layout with a small layer and a random `bigLayerMiB` layer. */
export function buildImage(dir: string, tag: string, bigLayerMiB: number): BuiltImage {
  const blobs = path.join(dir, 'blobs', 'sha256');
  fs.mkdirSync(blobs, { recursive: true });
  const blob = (b: Buffer) => {
    const d = sha(b);
    fs.writeFileSync(path.join(blobs, d), b);
    return { digest: `sha256:${d}`, size: b.length };
  };
  const tars = [
    tar('hello.txt', Buffer.from(`openshift-registry-storage e2e ${tag}\n`)),
    tar('random.bin', randomBytes(bigLayerMiB * 1024 * 1024)),
  ];
  // diff_ids are the uncompressed digests; the layers are gzip-compressed, as registries keep them
  // (skopeo would compress an uncompressed layer on push, and the manifest would change).
  const diffIds = tars.map((t) => `sha256:${sha(t)}`);
  const layers = tars.map((t) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...blob(gzipSync(t, { level: 1 })) }));
  const config = blob(Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: diffIds },
  })));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers,
  }));
  const m = blob(manifest);
  fs.writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify({
    schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...m, annotations: { 'org.opencontainers.image.ref.name': tag } }],
  }));
  return { layout: dir, tag, manifestDigest: m.digest, layerDigests: layers.map((l) => l.digest), bigLayerBytes: layers[1].size };
}

/** The manifest digest and layer digests of a pulled OCI layout. */
export function readLayout(dir: string): { manifestDigest: string; layerDigests: string[]; layersIntact: boolean } {
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
  const manifestDigest: string = index.manifests[0].digest;
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'blobs', 'sha256', manifestDigest.slice(7)), 'utf8'));
  const layerDigests: string[] = manifest.layers.map((l: { digest: string }) => l.digest);
  const layersIntact = layerDigests.every((d) => `sha256:${sha(fs.readFileSync(path.join(dir, 'blobs', 'sha256', d.slice(7))))}` === d);
  return { manifestDigest, layerDigests, layersIntact };
}
