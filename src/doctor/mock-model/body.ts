// Reads a request body, undoing any content-encoding (chunked transfer is handled by node:http).
import type { IncomingMessage } from 'node:http';
import zlib from 'node:zlib';

type Decoder = (data: Buffer) => Buffer;

// zstd is in node:zlib only from Node 22.15 / 23.8.
const zstd = (zlib as unknown as { zstdDecompressSync?: Decoder }).zstdDecompressSync;

const DECODERS: Record<string, Decoder | undefined> = {
  identity: (b) => b,
  gzip: (b) => zlib.gunzipSync(b),
  'x-gzip': (b) => zlib.gunzipSync(b),
  // "deflate" should be zlib-wrapped, but some clients send raw deflate.
  deflate: (b) => {
    try {
      return zlib.inflateSync(b);
    } catch {
      return zlib.inflateRawSync(b);
    }
  },
  br: (b) => zlib.brotliDecompressSync(b),
  zstd,
};

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let data: Buffer = Buffer.concat(chunks);
  // Encodings are listed in the order they were applied.
  const encodings = String(req.headers['content-encoding'] ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean)
    .reverse();
  for (const encoding of encodings) {
    const decode = DECODERS[encoding];
    if (!decode) throw new BodyError(415, `unsupported content-encoding: ${encoding}`);
    try {
      data = decode(data);
    } catch (err) {
      throw new BodyError(400, `cannot decode ${encoding} body: ${(err as Error).message}`);
    }
  }
  return data;
}
