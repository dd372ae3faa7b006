// The embedder contract shared with models/embeddings: a frozen pretrained base turned into one
// vector per image (the base's feature map after global average pooling).

export interface Embedder {
  /** Runtime that computes the embeddings, e.g. 'onnx' or 'tfjs'. */
  readonly runtime: string;
  readonly baseId: string;
  /**
   * Embeds `count` preprocessed images given as count x height x width x channels float32 values
   * (see images/preprocess.ts) and returns count x embeddingSize float32 values.
   */
  embed(inputs: Float32Array, count: number): Promise<Float32Array>;
  dispose(): void;
}
